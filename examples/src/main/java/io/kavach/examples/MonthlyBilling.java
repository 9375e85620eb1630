package io.kavach.examples;

import io.kavach.AuthorizeRequest;
import io.kavach.Decision;
import io.kavach.Kavach;
import io.kavach.agent.CreateAgentRequest;
import io.kavach.audit.AuditCsv;
import io.kavach.audit.AuditFilter;
import io.kavach.audit.ExportFormat;
import io.kavach.model.AuditResult;
import io.kavach.model.Permission;
import io.kavach.model.PolicyAction;
import io.kavach.policy.CreatePolicyRequest;
import io.kavach.store.sqlite.SqliteStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The monthly billing report of the cost tracking guide (seed 001): calls and tokensCost per user
 * (the agents' owner) for one calendar month, computed outside Kavach from the CSV export, as a
 * billing system or a data warehouse would.
 *
 * <p>It first simulates five weeks of traffic ending now: agents of three users call an LLM with a
 * token cost (sometimes none), one user has a daily budget that blocks some calls, one agent makes
 * calls it has no permission for. Then it exports last month's allowed decisions to
 * {@code kavach-audit-YYYY-MM.csv} beside the database and adds them up per user.
 *
 * <p>What is billed: only allowed decisions (a denied call never ran), each counted as a call, with
 * its tokensCost when the request gave one (an empty cell counts as 0). The month is
 * [first day 00:00 UTC, first day of the next month 00:00 UTC). Administrative entries, such as
 * {@code agent.created}, are not calls; filtering on the result {@code ALLOWED} leaves them out.
 */
public final class MonthlyBilling {
    static final ZoneId ZONE = ZoneOffset.UTC;

    private MonthlyBilling() {
    }

    /** One user's line of the bill. */
    public record Usage(long calls, long tokensCost) {
        public static final Usage NONE = new Usage(0, 0);

        Usage plus(long cost) {
            return new Usage(calls + 1, tokensCost + cost);
        }
    }

    /**
     * What the run produced.
     *
     * @param month      the month billed
     * @param csv        the export it was computed from
     * @param rows       the export's rows
     * @param byUser     the bill, from the CSV, by user
     * @param authorized what the simulation was allowed in that month, by user, counted from the
     *                   decisions as they were made
     */
    public record Report(YearMonth month, Path csv, long rows, Map<String, Usage> byUser, Map<String, Usage> authorized) {
    }

    public static void main(String[] args) {
        Path db = Path.of(args.length > 0 ? args[0] : "kavach-billing.db");
        run(db, Clock.systemUTC(), System.out);
    }

    /** Simulates traffic up to {@code clock}'s now on {@code db}, then bills the last full month; prints to {@code out}. */
    public static Report run(Path db, Clock clock, PrintStream out) {
        Instant now = clock.instant();
        YearMonth month = YearMonth.from(now.atZone(ZONE)).minusMonths(1);
        Instant since = month.atDay(1).atStartOfDay(ZONE).toInstant();
        Instant until = month.plusMonths(1).atDay(1).atStartOfDay(ZONE).toInstant();
        ReplayClock replay = new ReplayClock(since.minus(Duration.ofDays(3)));
        Map<String, Usage> authorized = new TreeMap<>();

        try (Kavach kavach = Kavach.builder().store(SqliteStore.open(db)).clock(replay).build()) {
            simulate(kavach, replay, min(until.plus(Duration.ofDays(3)), now), call -> {
                Decision decision = call.decision();
                if (decision.allowed() && !decision.timestamp().isBefore(since) && decision.timestamp().isBefore(until)) {
                    long cost = call.tokensCost() == null ? 0 : call.tokensCost();
                    authorized.merge(call.owner(), Usage.NONE.plus(cost), MonthlyBilling::add);
                }
            });
            replay.set(now);

            // The export: every allowed decision of the month, oldest first, however many there are.
            Path csv = db.toAbsolutePath().resolveSibling("kavach-audit-" + month + ".csv");
            long rows;
            try (OutputStream file = Files.newOutputStream(csv)) {
                rows = kavach.audit().export(AuditFilter.all().withResults(AuditResult.ALLOWED).between(since, until),
                        ExportFormat.CSV, file, written -> { });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }

            // The bill, from the file alone.
            Map<String, Usage> byUser = bill(csv, since, until);
            out.printf(Locale.ROOT, "Billing report for %s (UTC) from %s: %d allowed calls%n", month, csv.getFileName(), rows);
            out.printf(Locale.ROOT, "  %-10s %8s %12s%n", "user", "calls", "tokensCost");
            byUser.forEach((user, usage) -> out.printf(Locale.ROOT, "  %-10s %8d %12d%n", user, usage.calls(), usage.tokensCost()));
            Usage total = byUser.values().stream().reduce(Usage.NONE, MonthlyBilling::add);
            out.printf(Locale.ROOT, "  %-10s %8d %12d%n", "total", total.calls(), total.tokensCost());
            return new Report(month, csv, rows, byUser, authorized);
        }
    }

    /**
     * Calls and tokensCost per user from an audit CSV export: the allowed decisions with timestamps
     * in [since, until). Reads the file as a stream, so its size does not matter.
     */
    public static Map<String, Usage> bill(Path csv, Instant since, Instant until) {
        Map<String, Usage> byUser = new TreeMap<>();
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            List<String> columns = AuditCsv.columns();
            int user = columns.indexOf("userId");
            int cost = columns.indexOf("tokensCost");
            int result = columns.indexOf("result");
            int timestamp = columns.indexOf("timestamp");
            boolean[] header = {true};
            readCsv(in, row -> {
                if (header[0]) {
                    if (!row.equals(columns)) {
                        throw new IllegalStateException("not an audit export: " + row);
                    }
                    header[0] = false;
                    return;
                }
                Instant at = Instant.parse(row.get(timestamp));
                if (!row.get(result).equals("ALLOWED") || at.isBefore(since) || !at.isBefore(until)) {
                    return;
                }
                // Text cells may carry the formula guard's leading quote; numbers never do.
                String owner = AuditCsv.unguard(row.get(user));
                long tokens = row.get(cost).isEmpty() ? 0 : Long.parseLong(row.get(cost));
                byUser.merge(owner.isEmpty() ? "(no user)" : owner, Usage.NONE.plus(tokens), MonthlyBilling::add);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return byUser;
    }

    /**
     * A small RFC 4180 reader: fields separated by commas, records by CRLF (or LF); a quoted field
     * may hold commas, line breaks and doubled quotes.
     */
    static void readCsv(Reader source, Consumer<List<String>> records) throws IOException {
        BufferedReader in = source instanceof BufferedReader buffered ? buffered : new BufferedReader(source);
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean pending = false;
        for (int c = in.read(); c != -1; c = in.read()) {
            pending = true;
            if (quoted) {
                if (c != '"') {
                    field.append((char) c);
                } else {
                    in.mark(1);
                    if (in.read() == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        in.reset();
                    }
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                record.add(field.toString());
                field.setLength(0);
                records.accept(record);
                record = new ArrayList<>();
                pending = false;
            } else if (c != '\r') {
                field.append((char) c);
            }
        }
        if (pending) {
            record.add(field.toString());
            records.accept(record);
        }
    }

    /** Day by day from the replay clock's start to {@code end}: each agent makes a few calls, the first at midnight. */
    private static void simulate(Kavach kavach, ReplayClock clock, Instant end, Consumer<Call> decided) {
        Permission llm = Permission.of("llm:**", "execute");
        String writer = agent(kavach, "user-123", null, "writer-bot", llm);
        String researcher = agent(kavach, "user-123", "acme", "research-bot", llm, Permission.of("mcp:github:**", "read"));
        String support = agent(kavach, "user-456", null, "support-bot", llm);
        String auditor = agent(kavach, "user-789", null, "audit-bot", Permission.of("mcp:github:**", "read"));
        kavach.policy().create(CreatePolicyRequest.forUser("user-456").maxTokensCostPerDay(3_000).action(PolicyAction.BLOCK).build());
        List<String> agents = List.of(writer, researcher, support, auditor);
        Map<String, String> owners = Map.of(writer, "user-123", researcher, "user-123", support, "user-456", auditor, "user-789");
        Random random = new Random(2024);
        for (Instant day = clock.instant(); day.isBefore(end); day = day.plus(Duration.ofDays(1))) {
            List<Long> offsets = new ArrayList<>();
            List<String> callers = new ArrayList<>();
            for (String agent : agents) {
                int calls = 2 + random.nextInt(4);
                for (int i = 0; i < calls; i++) {
                    offsets.add(i == 0 && agent.equals(writer) ? 0 : 1 + (long) random.nextInt(86_400_000 - 1));
                    callers.add(agent);
                }
            }
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < offsets.size(); i++) {
                order.add(i);
            }
            Collections.sort(order, (a, b) -> Long.compare(offsets.get(a), offsets.get(b)));
            for (int i : order) {
                Instant at = day.plusMillis(offsets.get(i));
                if (!at.isBefore(end)) {
                    continue;
                }
                clock.set(at);
                String agent = callers.get(i);
                AuthorizeRequest.Builder request;
                Long tokensCost = null;
                if (agent.equals(auditor) && random.nextBoolean()) {
                    request = AuthorizeRequest.builder("read", "mcp:github:issues"); // allowed, no token cost
                } else {
                    request = AuthorizeRequest.builder("execute", "llm:openai:gpt-4o").argument("prompt", "…");
                    if (random.nextInt(6) != 0) {
                        tokensCost = 50L + random.nextInt(1_950);
                        request.tokensCost(tokensCost);
                    }
                }
                decided.accept(new Call(owners.get(agent), tokensCost, kavach.authorize(agent, request.build())));
            }
        }
    }

    private static String agent(Kavach kavach, String owner, String tenant, String name, Permission... permissions) {
        CreateAgentRequest.Builder builder = CreateAgentRequest.builder(owner, name).permissions(List.of(permissions));
        if (tenant != null) {
            builder.tenant(tenant);
        }
        return kavach.agents().create(builder.build()).agent().id();
    }

    /** One simulated call: whose agent made it, the token cost it gave (or none), and the decision. */
    private record Call(String owner, Long tokensCost, Decision decision) {
    }

    private static Usage add(Usage a, Usage b) {
        return new Usage(a.calls() + b.calls(), a.tokensCost() + b.tokensCost());
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** The simulation's clock: Kavach reads the time from it, the simulation moves it. */
    private static final class ReplayClock extends Clock {
        private final AtomicReference<Instant> now;
        private final ZoneId zone;

        ReplayClock(Instant start) {
            this(new AtomicReference<>(start), ZONE);
        }

        private ReplayClock(AtomicReference<Instant> now, ZoneId zone) {
            this.now = now;
            this.zone = zone;
        }

        void set(Instant instant) {
            now.set(instant);
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId newZone) {
            return new ReplayClock(now, newZone);
        }
    }
}
