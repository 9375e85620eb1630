package io.kavach.core.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kavach.audit.AuditCsv;
import io.kavach.audit.AuditCursor;
import io.kavach.audit.AuditFilter;
import io.kavach.audit.AuditJson;
import io.kavach.audit.AuditLog;
import io.kavach.audit.AuditPage;
import io.kavach.audit.AuditVerification;
import io.kavach.audit.ChainVerifier;
import io.kavach.audit.ExportFormat;
import io.kavach.audit.ExportProgress;
import io.kavach.error.InvalidInputException;
import io.kavach.model.AuditEntry;
import io.kavach.model.AuditResult;
import io.kavach.spi.AuditQuery;
import io.kavach.spi.AuditStore.AuditCheckpoint;
import io.kavach.spi.internal.Checks;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/** The audit log behind {@code kavach.audit()}, read from and cleaned in the store. */
public final class DefaultAuditLog implements AuditLog {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Context context;

    public DefaultAuditLog(Context context) {
        this.context = context;
    }

    @Override
    public List<AuditEntry> query(AuditFilter filter) {
        return page(filter).entries();
    }

    @Override
    public AuditPage page(AuditFilter filter) {
        // One more than asked for tells whether another page follows, so the last page has no cursor.
        AuditQuery query = toQuery(filter, filter.limit() + 1);
        List<AuditEntry> entries = context.store().read(session -> session.audit().query(query));
        if (entries.size() <= filter.limit()) {
            return new AuditPage(entries, null);
        }
        List<AuditEntry> page = entries.subList(0, filter.limit());
        return new AuditPage(page, AuditCursor.encode(page.get(page.size() - 1)));
    }

    @Override
    public long export(AuditFilter filter, ExportFormat format, OutputStream out, ExportProgress progress) {
        Checks.notNull("out", out);
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        long rows = export(filter, format, writer, progress);
        flush(writer);
        return rows;
    }

    @Override
    public long export(AuditFilter filter, ExportFormat format, Writer out, ExportProgress progress) {
        Checks.notNull("filter", filter);
        Checks.notNull("format", format);
        Checks.notNull("out", out);
        ExportProgress report = progress == null ? ExportProgress.NONE : progress;
        AuditQuery query = toQuery(filter, 1);
        long[] rows = {0};
        try {
            JsonGenerator json = format == ExportFormat.CSV ? null : MAPPER.getFactory().createGenerator(out);
            if (json != null && format == ExportFormat.JSONL) {
                json.setRootValueSeparator(null);
            }
            Consumer<AuditEntry> row = switch (format) {
                case CSV -> entry -> AuditCsv.writeRow(out, entry);
                case JSON -> entry -> AuditJson.write(json, entry);
                case JSONL -> entry -> {
                    AuditJson.write(json, entry);
                    rawNewline(json);
                };
            };
            if (format == ExportFormat.CSV) {
                AuditCsv.writeHeader(out);
            } else if (format == ExportFormat.JSON) {
                json.writeStartArray();
            }
            context.store().read(session -> {
                session.audit().scan(query, entry -> {
                    row.accept(entry);
                    if (++rows[0] % ExportProgress.EVERY == 0) {
                        report.rowsWritten(rows[0]);
                    }
                });
                return null;
            });
            if (format == ExportFormat.JSON) {
                json.writeEndArray();
            }
            if (json != null) {
                json.flush();
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing the audit export failed", e);
        }
        if (rows[0] == 0 || rows[0] % ExportProgress.EVERY != 0) {
            report.rowsWritten(rows[0]); // the final count, unless the last report already gave it
        }
        return rows[0];
    }

    @Override
    public AuditVerification verify() {
        return context.store().read(session -> {
            String first = session.audit().checkpoint().map(AuditCheckpoint::hash).orElse(AuditEntry.GENESIS);
            ChainVerifier verifier = new ChainVerifier(first);
            session.audit().scanChain(null, null, verifier);
            return verifier.result();
        });
    }

    @Override
    public AuditVerification verify(Instant since, Instant until) {
        if (since == null && until == null) {
            return verify();
        }
        if (since != null && until != null && !since.isBefore(until)) {
            throw new InvalidInputException("until", until, "must be after since (" + since + ")");
        }
        return context.store().read(session -> {
            ChainVerifier verifier = new ChainVerifier(null);
            session.audit().scanChain(since, until, verifier);
            return verifier.result();
        });
    }

    @Override
    public long cleanup(Duration retention) {
        Checks.notNull("retention", retention);
        if (retention.isNegative()) {
            throw new InvalidInputException("retention", retention, "must not be negative");
        }
        Instant now = context.now();
        Instant cutoff = now.minus(retention);
        return context.store().write(session -> {
            long deleted = session.audit().deleteBefore(cutoff);
            long reservations = session.policies().deleteReservationsBefore(cutoff);
            context.auditor().event(session, now, null, "audit.cleanup", "audit_log", AuditResult.SUCCESS,
                    "AUDIT_CLEANUP", deleted + " entries and " + reservations + " budget reservations older than "
                            + cutoff + " deleted (retention " + retention + ")");
            return deleted;
        });
    }

    private static AuditQuery toQuery(AuditFilter f, int limit) {
        return new AuditQuery(f.agentId(), f.userId(), f.tenantId(), f.actions(), f.results(), f.codes(),
                f.resourcePrefix(), f.since(), f.until(), f.cursor() == null ? null : AuditCursor.decode(f.cursor()), limit);
    }

    private static void rawNewline(JsonGenerator json) {
        try {
            json.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("writing the audit export failed", e);
        }
    }

    private static void flush(Writer writer) {
        try {
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing the audit export failed", e);
        }
    }
}
