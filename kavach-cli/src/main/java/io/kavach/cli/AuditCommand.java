package io.kavach.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kavach.Kavach;
import io.kavach.audit.AuditFilter;
import io.kavach.audit.AuditJson;
import io.kavach.audit.AuditPage;
import io.kavach.audit.AuditVerification;
import io.kavach.audit.ExportFormat;
import io.kavach.audit.ExportProgress;
import io.kavach.model.AuditEntry;
import io.kavach.model.AuditResult;
import io.kavach.spi.codec.JsonCodec;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kavach audit}: query, export and verify the audit log. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {
            "The audit log: query it, export it (CSV, JSON, JSON Lines), verify its hash chain.",
            "One entry per decision and per change, kept as a SHA-256 hash chain."},
        subcommands = {AuditCommand.Query.class, AuditCommand.Export.class, AuditCommand.Verify.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  kavach audit query --agent agt_01JZ8K6V3X0M4N7Q9R2S5T8W1Y --result denied --since 2026-01-01",
            "  kavach audit export --format csv --since 2026-01-01 --until 2026-02-01 --out audit-2026-01.csv",
            "  kavach audit verify"})
final class AuditCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return KavachCli.missingSubcommand(spec);
    }

    /** The filters of the library's AuditFilter, shared by query and export. */
    static final class FilterOptions {
        @Option(names = "--agent", paramLabel = "AGENT_ID", description = "Only this agent's entries.")
        String agent;
        @Option(names = "--user", paramLabel = "USER", description = "Only entries about agents of this owner.")
        String user;
        @Option(names = "--tenant", paramLabel = "TENANT", description = "Only entries about agents of this tenant.")
        String tenant;
        @Option(names = "--action", paramLabel = "ACTION", split = ",",
                description = "Only these actions or events (execute, agent.created, policy.triggered, ...). Repeatable.")
        List<String> actions = new ArrayList<>();
        @Option(names = "--result", paramLabel = "RESULT", split = ",", description = "Only these results: allowed, denied, success. Repeatable.")
        List<AuditResult> results = new ArrayList<>();
        @Option(names = "--code", paramLabel = "CODE", split = ",", description = "Only these codes (BUDGET_EXCEEDED, RATE_LIMITED, ...). Repeatable.")
        List<String> codes = new ArrayList<>();
        @Option(names = "--resource-prefix", paramLabel = "PREFIX", description = "Only resources starting with this text (case-sensitive).")
        String resourcePrefix;
        @Option(names = "--since", paramLabel = "WHEN", converter = Converters.InstantConverter.class,
                description = "From this instant, inclusive: 2026-01-01 (start of day, UTC) or 2026-01-01T00:00:00Z.")
        Instant since;
        @Option(names = "--until", paramLabel = "WHEN", converter = Converters.InstantConverter.class,
                description = "Up to this instant, exclusive (same forms as --since).")
        Instant until;

        AuditFilter filter() {
            Set<String> upperCodes = new LinkedHashSet<>();
            for (String code : codes) {
                upperCodes.add(code.strip().toUpperCase(Locale.ROOT));
            }
            return new AuditFilter(agent, user, tenant, new LinkedHashSet<>(actions), new LinkedHashSet<>(results),
                    upperCodes, resourcePrefix, since, until, AuditFilter.DEFAULT_LIMIT, null);
        }
    }

    @Command(name = "query", mixinStandardHelpOptions = true,
            description = {
                "Lists audit entries, newest first, one page at a time.",
                "Every filter runs in the database. When more entries match, the cursor of the next page is "
                    + "printed on stderr."},
            footerHeading = "%nExamples:%n",
            footer = {
                "  kavach audit query --agent agt_01JZ8K6V3X0M4N7Q9R2S5T8W1Y --limit 20",
                "  kavach audit query --result denied --code BUDGET_EXCEEDED,RATE_LIMITED --since 2026-01-01",
                "  kavach audit query --action agent.created,agent.revoked --json"})
    static final class Query implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        FilterOptions filters;

        @Option(names = "--limit", defaultValue = "100", paramLabel = "N", description = "Entries per page, 1 to 10000 (default: ${DEFAULT-VALUE}).")
        int limit;
        @Option(names = "--cursor", paramLabel = "CURSOR", description = "Continue after the page that printed this cursor.")
        String cursor;
        @Option(names = "--json", description = "Print each entry as one line of JSON (JSON Lines), with every field.")
        boolean json;
        @Option(names = "--wide", description = "Do not shorten long resources and reasons in the table.")
        boolean wide;
        @Mixin
        DbOptions db;

        @Override
        public Integer call() {
            AuditFilter filter = filters.filter().withLimit(limit).after(cursor);
            try (Kavach kavach = db.open(false)) {
                AuditPage page = kavach.audit().page(filter);
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    for (AuditEntry e : page.entries()) {
                        out.println(entryJson(e));
                    }
                } else if (page.entries().isEmpty()) {
                    out.println("No audit entries match.");
                } else {
                    Table table = new Table("TIME", "AGENT", "ACTION", "RESOURCE", "RESULT", "CODE", "TOKENS", "REASON")
                            .alignRight(6);
                    for (AuditEntry e : page.entries()) {
                        table.row(Text.time(e.timestamp()), e.agentId() == null ? "-" : e.agentId(), e.action(),
                                wide ? e.resource() : Text.cut(e.resource(), 40), e.result(), e.code(),
                                e.tokensCost() == null ? "" : e.tokensCost(), wide ? e.reason() : Text.cut(e.reason(), 70));
                    }
                    table.print(out, "");
                }
                if (page.nextCursor() != null) {
                    spec.commandLine().getErr().println("(more entries: add --cursor " + page.nextCursor() + ")");
                }
                return KavachCli.OK;
            }
        }
    }

    static String entryJson(AuditEntry e) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = new JsonFactory(new ObjectMapper()).createGenerator(text)) {
            AuditJson.write(json, e);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return text.toString();
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {
                "Exports audit entries as CSV, JSON or JSON Lines: oldest first, no row cap.",
                "CSV is RFC 4180 with a formula guard for spreadsheets. Output goes to stdout, or to --out "
                    + "FILE, which appears only once complete; progress goes to stderr while a long export runs."},
            footerHeading = "%nExamples:%n",
            footer = {
                "  # last month's billing export, on the 1st (GNU date; in a crontab line write each %% as \\%%)",
                "  kavach audit export --format csv --since $(date -u -d 'last month' +%%Y-%%m-01) \\",
                "      --until $(date -u +%%Y-%%m-01) \\",
                "      --out audit-$(date -u -d 'last month' +%%Y-%%m).csv",
                "  kavach audit export --format jsonl --agent agt_01JZ8K6V3X0M4N7Q9R2S5T8W1Y | jq .reason"})
    static final class Export implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        FilterOptions filters;

        @Option(names = "--format", defaultValue = "csv", paramLabel = "FORMAT", description = "csv, json or jsonl (default: ${DEFAULT-VALUE}).")
        ExportFormat format;
        @Option(names = "--out", paramLabel = "FILE", description = "Write to this file (replaced if it exists) instead of stdout.")
        Path outFile;
        @Mixin
        DbOptions db;

        @Override
        public Integer call() {
            AuditFilter filter = filters.filter();
            Path target = outFile == null ? null : outFile.toAbsolutePath().normalize();
            if (target != null && (target.getParent() == null || !Files.isDirectory(target.getParent()))) {
                throw new ParameterException(spec.commandLine(), "--out: the directory " + target.getParent() + " does not exist");
            }
            if (target != null && Files.isDirectory(target)) {
                throw new ParameterException(spec.commandLine(), "--out: " + target + " is a directory");
            }
            try (Kavach kavach = db.open(false)) {
                if (target == null) {
                    PrintWriter out = spec.commandLine().getOut();
                    kavach.audit().export(filter, format, out, ExportProgress.NONE);
                    out.flush();
                    return KavachCli.OK;
                }
                PrintWriter err = spec.commandLine().getErr();
                long started = System.nanoTime();
                ExportProgress progress = rows -> {
                    if (rows > 0 && rows % ExportProgress.EVERY == 0) {
                        err.println("  " + rows + " entries written...");
                        err.flush();
                    }
                };
                long rows = exportToFile(kavach, filter, target, progress);
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                err.println("Exported " + Text.plural(rows, "audit entry", "audit entries") + " as "
                        + format.name().toLowerCase(Locale.ROOT) + " to " + target + " in " + took.toMillis() + " ms");
                return KavachCli.OK;
            }
        }

        private long exportToFile(Kavach kavach, AuditFilter filter, Path target, ExportProgress progress) {
            Path partial;
            try {
                partial = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".partial");
            } catch (IOException e) {
                throw new CliException("cannot write in " + target.getParent() + ": " + e.getMessage(), e);
            }
            boolean done = false;
            try {
                long rows;
                try (Writer out = new BufferedWriter(Files.newBufferedWriter(partial, StandardCharsets.UTF_8), 1 << 16)) {
                    rows = kavach.audit().export(filter, format, out, progress);
                }
                move(partial, target);
                done = true;
                return rows;
            } catch (IOException e) {
                throw new CliException("writing " + target + " failed: " + e.getMessage(), e);
            } finally {
                if (!done) {
                    try {
                        Files.deleteIfExists(partial);
                    } catch (IOException ignored) {
                        // best effort: the partial file is hidden and named .partial
                    }
                }
            }
        }

        private static void move(Path from, Path to) throws IOException {
            try {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {
                "Checks the audit hash chain: exit 0 when intact, 1 when tampered with.",
                "Every entry must be unaltered and linked to the one before it; the first entry that was "
                    + "altered, or where entries were removed, inserted or reordered, is printed. Keep the "
                    + "printed head hash somewhere the database's writers cannot change, and compare it later to "
                    + "detect a rewritten tail."},
            footerHeading = "%nExamples:%n",
            footer = {
                "  kavach audit verify",
                "  kavach audit verify --since 2026-01-01 --until 2026-02-01"})
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--since", paramLabel = "WHEN", converter = Converters.InstantConverter.class,
                description = "Check only entries from this instant on (they are checked among themselves).")
        Instant since;
        @Option(names = "--until", paramLabel = "WHEN", converter = Converters.InstantConverter.class,
                description = "Check only entries before this instant.")
        Instant until;
        @Mixin
        DbOptions db;

        @Override
        public Integer call() {
            if (since != null && until != null && !since.isBefore(until)) {
                throw new ParameterException(spec.commandLine(), "--until must be after --since");
            }
            try (Kavach kavach = db.open(false)) {
                AuditVerification v = since == null && until == null ? kavach.audit().verify()
                        : kavach.audit().verify(since, until);
                PrintWriter out = spec.commandLine().getOut();
                if (v.ok()) {
                    out.println("Audit chain intact: " + Text.plural(v.checked(), "entry", "entries") + " checked"
                            + (v.headHash() == null ? "" : "; head hash " + v.headHash()));
                    return KavachCli.OK;
                }
                out.println("Audit chain BROKEN at entry " + v.firstBadId() + " (" + v.problem() + "): " + v.message());
                findEntry(kavach, v.firstBadId()).ifPresent(e -> printEntry(out, e));
                out.println("Checked " + Text.plural(v.checked(), "entry", "entries") + " before stopping.");
                return KavachCli.FAILURE;
            }
        }

        /** The entry with this id: ids start with their creation time, so look around it. */
        private static Optional<AuditEntry> findEntry(Kavach kavach, String id) {
            Instant at = idTime(id);
            if (at == null) {
                return Optional.empty();
            }
            AuditFilter around = AuditFilter.all().between(at.minusSeconds(60), at.plusSeconds(60)).withLimit(AuditFilter.MAX_LIMIT);
            return kavach.audit().query(around).stream().filter(e -> e.id().equals(id)).findFirst();
        }

        private static void printEntry(PrintWriter out, AuditEntry e) {
            out.println("  id:           " + e.id());
            out.println("  timestamp:    " + e.timestamp());
            out.println("  agent:        " + (e.agentId() == null ? "-" : e.agentId()));
            out.println("  action:       " + e.action() + " " + e.resource());
            out.println("  result:       " + e.result() + " " + e.code());
            out.println("  reason:       " + e.reason());
            out.println("  tokensCost:   " + (e.tokensCost() == null ? "-" : e.tokensCost()));
            out.println("  policyIds:    " + JsonCodec.stringsToJson(e.policyIds()));
            out.println("  previousHash: " + e.previousHash());
            out.println("  hash:         " + e.hash());
        }
    }

    private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /** The creation time in a time-ordered id ({@code aud_} and 26 characters, the first 10 the milliseconds). */
    static Instant idTime(String id) {
        int underscore = id == null ? -1 : id.indexOf('_');
        if (underscore < 0 || id.length() < underscore + 11) {
            return null;
        }
        long millis = 0;
        for (int i = underscore + 1; i <= underscore + 10; i++) {
            int digit = CROCKFORD.indexOf(id.charAt(i));
            if (digit < 0) {
                return null;
            }
            millis = millis * 32 + digit;
        }
        return Instant.ofEpochMilli(millis);
    }
}
