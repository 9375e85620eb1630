package io.kavach.audit;

import io.kavach.model.AuditEntry;
import io.kavach.spi.codec.JsonCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The audit log as RFC 4180 CSV: a header row, then one row per entry, CRLF line ends, UTF-8.
 * A field is quoted when it holds a comma, a double quote, CR or LF, and quotes inside are doubled.
 *
 * <p>Columns: {@value #HEADER}. Timestamps are ISO-8601 UTC with milliseconds; {@code tokensCost}
 * is empty when the request gave none; {@code policyIds} and {@code arguments} are JSON.
 *
 * <p>Formula guard: spreadsheets run a cell that starts with {@code = + - @}, a tab or a CR as a
 * formula. Such a text cell, and one that starts with a single quote, is written with one extra
 * leading single quote, which spreadsheets show as text. To recover the original value, drop one
 * leading single quote from any text cell that starts with one ({@link #unguard}). Numeric columns
 * are never guarded.
 */
public final class AuditCsv {
    public static final String HEADER = "id,timestamp,agentId,userId,tenantId,action,resource,result,code,reason,"
            + "tokensCost,durationMicros,delegationChainId,policyIds,ip,userAgent,arguments,previousHash,hash";

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private AuditCsv() {
    }

    public static void writeHeader(Writer out) {
        write(out, HEADER + "\r\n");
    }

    public static void writeRow(Writer out, AuditEntry e) {
        StringBuilder row = new StringBuilder(256);
        text(row, e.id());
        text(row, TIMESTAMP.format(e.timestamp()));
        text(row, e.agentId());
        text(row, e.userId());
        text(row, e.tenantId());
        text(row, e.action());
        text(row, e.resource());
        text(row, e.result().name());
        text(row, e.code());
        text(row, e.reason());
        number(row, e.tokensCost());
        number(row, e.durationMicros());
        text(row, e.delegationChainId());
        text(row, JsonCodec.stringsToJson(e.policyIds()));
        text(row, e.ip());
        text(row, e.userAgent());
        text(row, JsonCodec.mapToJson(e.arguments()));
        text(row, e.previousHash());
        text(row, e.hash());
        row.setLength(row.length() - 1);
        row.append("\r\n");
        write(out, row.toString());
    }

    /** The original value of a text cell read back from this CSV. */
    public static String unguard(String cell) {
        return cell != null && cell.startsWith("'") ? cell.substring(1) : cell;
    }

    /** The column names, in order. */
    public static List<String> columns() {
        return List.of(HEADER.split(","));
    }

    private static void text(StringBuilder row, String value) {
        if (value != null) {
            quoted(row, guard(value));
        }
        row.append(',');
    }

    private static void number(StringBuilder row, Long value) {
        if (value != null) {
            row.append(value.longValue());
        }
        row.append(',');
    }

    private static String guard(String value) {
        if (value.isEmpty()) {
            return value;
        }
        char first = value.charAt(0);
        boolean risky = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                || first == '\'';
        return risky ? "'" + value : value;
    }

    private static void quoted(StringBuilder row, String value) {
        boolean needs = false;
        for (int i = 0; i < value.length() && !needs; i++) {
            char c = value.charAt(i);
            needs = c == ',' || c == '"' || c == '\r' || c == '\n';
        }
        if (!needs) {
            row.append(value);
            return;
        }
        row.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                row.append('"');
            }
            row.append(c);
        }
        row.append('"');
    }

    private static void write(Writer out, String text) {
        try {
            out.write(text);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the audit export failed", e);
        }
    }
}
