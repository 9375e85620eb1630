package io.kavach.store.sqlite;

import static io.kavach.testkit.KavachAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.kavach.AuthorizeRequest;
import io.kavach.Kavach;
import io.kavach.agent.CreateAgentRequest;
import io.kavach.audit.AuditFilter;
import io.kavach.audit.AuditHasher;
import io.kavach.audit.AuditVerification;
import io.kavach.audit.AuditVerification.Problem;
import io.kavach.delegation.DelegationRequest;
import io.kavach.model.AuditEntry;
import io.kavach.model.Permission;
import io.kavach.model.PolicyAction;
import io.kavach.policy.CreatePolicyRequest;
import io.kavach.spi.codec.JsonCodec;
import io.kavach.testkit.Concurrently;
import io.kavach.testkit.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tampering with the audit log of a real SQLite file by plain SQL, as someone with write access to
 * the file would, is found by {@code verify()} at the right entry.
 */
class SqliteAuditTamperTest {
    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at("2026-03-10T10:00:00Z");
    private Path file;
    /** The chain as written: id and hash, in seq order. */
    private List<Row> written;

    private record Row(long seq, String id, String previousHash, String hash) {
    }

    @BeforeEach
    void workload() throws SQLException {
        file = dir.resolve("audit.db");
        try (Kavach kavach = open()) {
            String alice = kavach.agents().create(CreateAgentRequest.builder("alice", "bot").tenant("acme")
                    .permission(Permission.of("llm:**", "execute")).build()).agent().id();
            String helper = kavach.agents().create(CreateAgentRequest.builder("alice", "helper").build()).agent().id();
            kavach.delegate(DelegationRequest.from(alice).to(helper).permission("llm:**", "execute").expiresIn("1d").build());
            kavach.policy().create(CreatePolicyRequest.forUser("alice").maxTokensCostPerDay(2_000).action(PolicyAction.WARN).build());
            for (int i = 0; i < 30; i++) {
                clock.advance(Duration.ofSeconds(1));
                kavach.authorize(i % 3 == 0 ? helper : alice, AuthorizeRequest.builder("execute", "llm:openai:chat")
                        .tokensCost(10L * i).argument("prompt", "secret").argument("i", i).build());
            }
            kavach.authorize(alice, "write", "db:prod");
            assertThat(kavach.audit().verify().ok()).isTrue();
        }
        written = rows();
        assertThat(written).hasSizeGreaterThan(30);
    }

    @Test
    void anEditedColumnIsAlteredAtThatEntryWhileKavachIsOpen() throws SQLException {
        try (Kavach kavach = open()) {
            Row target = written.get(17);
            Map<String, String> edits = Map.of(
                    "reason", "'nothing to see here'",
                    "tokens_cost", "COALESCE(tokens_cost, 0) + 1",
                    "user_id", "'mallory'",
                    "ts", "ts + 1",
                    "arguments", "'{\"i\":17}'",
                    "result", "CASE result WHEN 'DENIED' THEN 'ALLOWED' ELSE 'DENIED' END",
                    "policy_ids", "'[\"pol_x\"]'",
                    "duration_micros", "duration_micros + 1");
            for (Map.Entry<String, String> edit : edits.entrySet()) {
                String column = edit.getKey();
                Object original = value(target.seq(), column);
                update("UPDATE audit_log SET " + column + " = " + edit.getValue() + " WHERE seq = " + target.seq());
                expect(kavach.audit().verify(), Problem.ALTERED, target.id(), 18);
                restore(target.seq(), column, original);
                assertThat(kavach.audit().verify().ok()).as("restored %s", column).isTrue();
            }
            // A row edited together with a hash recomputed for it still breaks the next entry's link.
            update("UPDATE audit_log SET reason = 'rewritten' WHERE seq = " + target.seq());
            AuditEntry edited = entry(kavach, target.id());
            update("UPDATE audit_log SET hash = '" + AuditHasher.hash(edited) + "' WHERE seq = " + target.seq());
            expect(kavach.audit().verify(), Problem.BROKEN_LINK, written.get(18).id(), 19);
        }
    }

    @Test
    void aDeletedRowBreaksTheLinkOfTheNextEntry() throws SQLException {
        update("DELETE FROM audit_log WHERE seq = " + written.get(12).seq());
        expect(verify(), Problem.BROKEN_LINK, written.get(13).id(), 13);

        update("DELETE FROM audit_log WHERE seq = " + written.get(0).seq());
        expect(verify(), Problem.BROKEN_LINK, written.get(1).id(), 1);
    }

    @Test
    void aDeletedTailVerifiesButChangesTheHead() throws SQLException {
        String head = verify().headHash();
        assertThat(head).isEqualTo(written.get(written.size() - 1).hash());
        update("DELETE FROM audit_log WHERE seq = " + written.get(written.size() - 1).seq());
        AuditVerification truncated = verify();
        assertThat(truncated.ok()).isTrue();
        assertThat(truncated.headHash()).as("only a head hash kept elsewhere shows a cut tail").isNotEqualTo(head);
    }

    @Test
    void aForgedRowPlacedInTheChainIsFoundAtTheForgery() throws SQLException {
        int k = 9;
        AuditEntry model;
        try (Kavach kavach = open()) {
            model = entry(kavach, written.get(k).id());
        }
        String forgedId = "aud_01JFORGED0000000000000000";
        // A copy with a new id and a made-up hash, linked to the entry before it.
        AuditEntry madeUp = withId(model, forgedId).chained(written.get(k).hash(), "0123456789abcdef".repeat(4));
        insertAfter(k, madeUp);
        expect(verify(), Problem.ALTERED, forgedId, k + 2);

        // The same forgery with a correctly computed hash: the entry after it no longer follows.
        update("DELETE FROM audit_log WHERE id = '" + forgedId + "'");
        closeGap(k);
        assertThat(verify().ok()).isTrue();
        AuditEntry linked = withId(model, forgedId).chained(written.get(k).hash(), null);
        insertAfter(k, linked.chained(linked.previousHash(), AuditHasher.hash(linked)));
        expect(verify(), Problem.BROKEN_LINK, written.get(k + 1).id(), k + 3);
    }

    @Test
    void swappedRowsAreFoundAtTheFirstOfThem() throws SQLException {
        swap(written.get(5).seq(), written.get(20).seq());
        expect(verify(), Problem.BROKEN_LINK, written.get(20).id(), 6);
        swap(written.get(5).seq(), written.get(20).seq());
        assertThat(verify().ok()).isTrue();

        swap(written.get(25).seq(), written.get(26).seq());
        expect(verify(), Problem.BROKEN_LINK, written.get(26).id(), 26);
    }

    @Test
    void afterACleanupTheRestVerifiesAndTamperingAtTheNewStartIsFound() throws SQLException {
        clock.advance(Duration.ofHours(1));
        long deleted;
        try (Kavach kavach = open()) {
            deleted = kavach.audit().cleanup(Duration.ofMinutes(60).plusSeconds(10));
            AuditVerification after = kavach.audit().verify();
            assertThat(after.ok()).as(after.message()).isTrue();
            assertThat(after.checked()).isEqualTo(written.size() - deleted + 1);
        }
        assertThat(deleted).isPositive().isLessThan(written.size());
        List<Row> remaining = rows();
        assertThat(remaining.get(0).id()).isEqualTo(written.get((int) deleted).id());
        assertThat(remaining.get(0).previousHash()).isEqualTo(written.get((int) deleted - 1).hash());

        // Deleting the oldest remaining entry is found against the checkpoint.
        update("DELETE FROM audit_log WHERE seq = " + remaining.get(0).seq());
        expect(verify(), Problem.BROKEN_LINK, remaining.get(1).id(), 1);

        // So is a checkpoint rewritten to fit.
        update("UPDATE audit_checkpoint SET hash = '" + remaining.get(1).previousHash() + "'");
        assertThat(verify().ok()).as("a consistent rewrite of the start needs the head hash kept elsewhere").isTrue();
        update("UPDATE audit_checkpoint SET hash = '" + "f".repeat(64) + "'");
        expect(verify(), Problem.BROKEN_LINK, remaining.get(1).id(), 1);
    }

    @Test
    void twoInstancesWithEightThreadsEachKeepOneExactChain() throws Exception {
        int perThread = 12;
        try (Kavach first = open(); Kavach second = open()) {
            String a = first.agents().create(CreateAgentRequest.builder("u1", "a").permission(Permission.of("x:**", "*"))
                    .build()).agent().id();
            String b = second.agents().create(CreateAgentRequest.builder("u2", "b").permission(Permission.of("x:**", "read"))
                    .build()).agent().id();
            int before = rows().size();
            Concurrently.run(16, t -> {
                Kavach kavach = t % 2 == 0 ? first : second;
                for (int n = 0; n < perThread; n++) {
                    kavach.authorize(n % 2 == 0 ? a : b, AuthorizeRequest.builder(n % 3 == 0 ? "write" : "read", "x:" + t)
                            .tokensCost(n).build());
                    if (n % 5 == 0) {
                        clock.advance(Duration.ofMillis(1));
                    }
                }
                return null;
            });
            List<Row> chain = rows();
            assertThat(chain).hasSize(before + 16 * perThread);
            assertThat(first.audit().query(AuditFilter.all().withLimit(AuditFilter.MAX_LIMIT))).hasSize(chain.size());
            for (Kavach kavach : List.of(first, second)) {
                AuditVerification result = kavach.audit().verify();
                assertThat(result.ok()).as(result.message()).isTrue();
                assertThat(result.checked()).isEqualTo(chain.size());
                assertThat(result.headHash()).isEqualTo(chain.get(chain.size() - 1).hash());
            }
            Set<String> previous = new HashSet<>();
            for (int i = 0; i < chain.size(); i++) {
                assertThat(previous.add(chain.get(i).previousHash())).isTrue();
                assertThat(chain.get(i).previousHash()).isEqualTo(i == 0 ? AuditEntry.GENESIS : chain.get(i - 1).hash());
            }
        }
    }

    // ---------------------------------------------------------------------------------------------

    private Kavach open() {
        return Kavach.builder().store(SqliteStore.open(file)).clock(clock).build();
    }

    private AuditVerification verify() {
        try (Kavach kavach = open()) {
            return kavach.audit().verify();
        }
    }

    private static AuditEntry entry(Kavach kavach, String id) {
        return kavach.audit().query(AuditFilter.all().withLimit(AuditFilter.MAX_LIMIT)).stream()
                .filter(e -> e.id().equals(id)).findFirst().orElseThrow();
    }

    private static void expect(AuditVerification result, Problem problem, String id, long checked) {
        assertThat(result.ok()).as(result.message()).isFalse();
        assertThat(result.problem()).as(result.message()).isEqualTo(problem);
        assertThat(result.firstBadId()).as(result.message()).isEqualTo(id);
        assertThat(result.checked()).as(result.message()).isEqualTo(checked);
    }

    private Connection sql() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file);
    }

    private void update(String statement) throws SQLException {
        try (Connection c = sql(); Statement s = c.createStatement()) {
            s.executeUpdate(statement);
        }
    }

    private <T> T query(String statement, Function<ResultSet, T> read) throws SQLException {
        try (Connection c = sql(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(statement)) {
            return read.apply(rs);
        }
    }

    private List<Row> rows() throws SQLException {
        return query("SELECT seq, id, previous_hash, hash FROM audit_log ORDER BY seq", rs -> {
            try {
                List<Row> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
                return out;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private Object value(long seq, String column) throws SQLException {
        return query("SELECT " + column + " FROM audit_log WHERE seq = " + seq, rs -> {
            try {
                rs.next();
                return rs.getObject(1);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private void restore(long seq, String column, Object original) throws SQLException {
        try (Connection c = sql(); PreparedStatement s = c.prepareStatement("UPDATE audit_log SET " + column + " = ? WHERE seq = ?")) {
            s.setObject(1, original);
            s.setLong(2, seq);
            s.executeUpdate();
        }
    }

    /** Makes room after the k-th entry (seq is the rowid: shifted up by one, through negatives) and inserts {@code e} there. */
    private void insertAfter(int k, AuditEntry e) throws SQLException {
        long seq = written.get(k).seq();
        update("UPDATE audit_log SET seq = -seq WHERE seq > " + seq);
        update("UPDATE audit_log SET seq = 1 - seq WHERE seq < 0");
        try (Connection c = sql(); PreparedStatement s = c.prepareStatement("INSERT INTO audit_log (seq, id, ts, agent_id,"
                + " user_id, tenant_id, action, resource, result, code, reason, tokens_cost, duration_micros,"
                + " delegation_chain_id, policy_ids, ip, user_agent, arguments, previous_hash, hash)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setLong(1, seq + 1);
            s.setString(2, e.id());
            s.setLong(3, e.timestamp().toEpochMilli());
            s.setString(4, e.agentId());
            s.setString(5, e.userId());
            s.setString(6, e.tenantId());
            s.setString(7, e.action());
            s.setString(8, e.resource());
            s.setString(9, e.result().name());
            s.setString(10, e.code());
            s.setString(11, e.reason());
            if (e.tokensCost() == null) {
                s.setNull(12, Types.INTEGER);
            } else {
                s.setLong(12, e.tokensCost());
            }
            s.setLong(13, e.durationMicros());
            s.setString(14, e.delegationChainId());
            s.setString(15, JsonCodec.stringsToJson(e.policyIds()));
            s.setString(16, e.ip());
            s.setString(17, e.userAgent());
            s.setString(18, JsonCodec.mapToJson(e.arguments()));
            s.setString(19, e.previousHash());
            s.setString(20, e.hash());
            s.executeUpdate();
        }
        assertThat(rows()).extracting(Row::id).contains(e.id());
    }

    /** Undoes the shift of {@link #insertAfter} once the forged row is gone. */
    private void closeGap(int k) throws SQLException {
        long seq = written.get(k).seq();
        update("UPDATE audit_log SET seq = -seq WHERE seq > " + (seq + 1));
        update("UPDATE audit_log SET seq = -seq - 1 WHERE seq < 0");
        assertThat(rows()).isEqualTo(written);
    }

    /** Swaps every column but seq between two rows (the id through a temporary value: it is unique). */
    private void swap(long seqA, long seqB) throws SQLException {
        String columns = "id, ts, agent_id, user_id, tenant_id, action, resource, result, code, reason, tokens_cost,"
                + " duration_micros, delegation_chain_id, policy_ids, ip, user_agent, arguments, previous_hash, hash";
        try (Connection c = sql(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.executeUpdate("CREATE TEMP TABLE swap AS SELECT seq AS old_seq, " + columns + " FROM audit_log WHERE seq IN ("
                    + seqA + ", " + seqB + ")");
            s.executeUpdate("UPDATE audit_log SET id = 'tmp-' || id WHERE seq IN (" + seqA + ", " + seqB + ")");
            StringBuilder set = new StringBuilder();
            for (String column : columns.split(",\\s*")) {
                set.append(set.length() == 0 ? "" : ", ").append(column).append(" = (SELECT ").append(column)
                        .append(" FROM swap WHERE old_seq = CASE audit_log.seq WHEN ").append(seqA).append(" THEN ").append(seqB)
                        .append(" ELSE ").append(seqA).append(" END)");
            }
            s.executeUpdate("UPDATE audit_log SET " + set + " WHERE seq IN (" + seqA + ", " + seqB + ")");
            s.executeUpdate("DROP TABLE swap");
            c.commit();
        }
    }

    private static AuditEntry withId(AuditEntry e, String id) {
        return new AuditEntry(id, e.timestamp(), e.agentId(), e.userId(), e.tenantId(), e.action(), e.resource(), e.result(),
                e.code(), e.reason(), e.tokensCost(), e.durationMicros(), e.delegationChainId(), e.policyIds(), e.ip(),
                e.userAgent(), e.arguments(), e.previousHash(), e.hash());
    }
}
