package io.kavach.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kavach.audit.AuditCsv;
import io.kavach.model.AuditEntry;
import io.kavach.model.AuditResult;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads audit exports back into entries with standard parsers: Apache Commons CSV (RFC 4180, with
 * the header) and Jackson. Text cells are unguarded with {@link AuditCsv#unguard}; empty CSV cells
 * and JSON nulls become null.
 */
public final class AuditExports {
    /** RFC 4180 with a header row, as the CSV export writes it. */
    public static final CSVFormat CSV = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() { };

    private AuditExports() {
    }

    /** A parser over CSV text; its header names are the export's columns. */
    public static CSVParser parseCsv(Reader in) {
        try {
            return CSVParser.builder().setReader(in).setFormat(CSV).get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every entry of a CSV export, in file order. */
    public static List<AuditEntry> readCsv(String csv) {
        List<AuditEntry> out = new ArrayList<>();
        forEachCsv(new StringReader(csv), out::add);
        return out;
    }

    /** Streams the entries of a CSV export, in file order; checks the header first. */
    public static void forEachCsv(Reader in, Consumer<AuditEntry> sink) {
        try (CSVParser parser = parseCsv(in)) {
            if (!parser.getHeaderNames().equals(AuditCsv.columns())) {
                throw new IllegalStateException("unexpected CSV header " + parser.getHeaderNames());
            }
            for (CSVRecord record : parser) {
                sink.accept(fromCsv(record));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One CSV row as an entry. */
    public static AuditEntry fromCsv(CSVRecord r) {
        if (!r.isConsistent()) {
            throw new IllegalStateException("row " + r.getRecordNumber() + " has " + r.size() + " cells");
        }
        String cost = r.get("tokensCost");
        return new AuditEntry(text(r, "id"), Instant.parse(r.get("timestamp")), text(r, "agentId"), text(r, "userId"),
                text(r, "tenantId"), text(r, "action"), text(r, "resource"), AuditResult.valueOf(r.get("result")),
                text(r, "code"), text(r, "reason"), cost.isEmpty() ? null : Long.valueOf(cost),
                Long.parseLong(r.get("durationMicros")), text(r, "delegationChainId"), json(text(r, "policyIds"), STRINGS),
                text(r, "ip"), text(r, "userAgent"), json(text(r, "arguments"), MAP), text(r, "previousHash"),
                text(r, "hash"));
    }

    /** The entries of a JSON array export. */
    public static List<AuditEntry> readJson(String json) {
        JsonNode array = tree(json);
        if (!array.isArray()) {
            throw new IllegalStateException("the JSON export is not an array");
        }
        List<AuditEntry> out = new ArrayList<>();
        array.forEach(node -> out.add(fromJson(node)));
        return out;
    }

    /** The entries of a JSON Lines export: one object per line, each line ending with LF. */
    public static List<AuditEntry> readJsonLines(String jsonl) {
        List<AuditEntry> out = new ArrayList<>();
        if (jsonl.isEmpty()) {
            return out;
        }
        if (!jsonl.endsWith("\n")) {
            throw new IllegalStateException("the last JSON line does not end with a line feed");
        }
        for (String line : jsonl.substring(0, jsonl.length() - 1).split("\n", -1)) {
            out.add(fromJson(tree(line)));
        }
        return out;
    }

    /** One JSON object as an entry; every field must be present. */
    public static AuditEntry fromJson(JsonNode n) {
        return new AuditEntry(text(n, "id"), Instant.parse(text(n, "timestamp")), text(n, "agentId"), text(n, "userId"),
                text(n, "tenantId"), text(n, "action"), text(n, "resource"), AuditResult.valueOf(text(n, "result")),
                text(n, "code"), text(n, "reason"), field(n, "tokensCost").isNull() ? null : field(n, "tokensCost").longValue(),
                field(n, "durationMicros").longValue(), text(n, "delegationChainId"),
                JSON.convertValue(field(n, "policyIds"), STRINGS), text(n, "ip"), text(n, "userAgent"),
                JSON.convertValue(field(n, "arguments"), MAP), text(n, "previousHash"), text(n, "hash"));
    }

    private static String text(CSVRecord r, String column) {
        String cell = AuditCsv.unguard(r.get(column));
        return cell.isEmpty() ? null : cell;
    }

    private static JsonNode field(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null) {
            throw new IllegalStateException("the exported object has no field " + name + ": " + node);
        }
        return value;
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = field(node, name);
        return value.isNull() ? null : value.textValue();
    }

    private static <T> T json(String text, TypeReference<T> type) {
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable JSON cell " + text, e);
        }
    }

    private static JsonNode tree(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable JSON " + text, e);
        }
    }
}
