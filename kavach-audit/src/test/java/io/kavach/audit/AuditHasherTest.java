package io.kavach.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kavach.error.InvalidInputException;
import io.kavach.model.AuditEntry;
import io.kavach.model.AuditResult;
import io.kavach.spi.codec.JsonCodec;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The entry hash: what it covers, its canonical form, and argument normalization. */
class AuditHasherTest {
    private static final RecordComponent[] FIELDS = AuditEntry.class.getRecordComponents();

    private final AuditEntry base = TestEntries.chain(2).get(1);

    @Test
    void theHashIsLowerCaseSha256HexAndDeterministic() {
        assertThat(AuditHasher.hash(base)).matches("[0-9a-f]{64}").isEqualTo(base.hash()).isEqualTo(AuditHasher.hash(copy(base)));
        assertThat(base.previousHash()).isNotEqualTo(AuditEntry.GENESIS).matches("[0-9a-f]{64}");
    }

    @Test
    void theHashIsSha256OfTheDocumentedEncoding() throws Exception {
        AuditEntry e = base;
        StringBuilder text = new StringBuilder();
        for (String value : new String[] {e.id(), Long.toString(e.timestamp().toEpochMilli()), e.agentId(), e.userId(),
            e.tenantId(), e.action(), e.resource(), e.result().name(), e.code(), e.reason(), Long.toString(e.tokensCost()),
            Long.toString(e.durationMicros()), e.delegationChainId(), "[\"pol_a1\",\"pol_b1\"]", e.ip(), e.userAgent(),
            "{\"model\":\"gpt-4o\",\"n\":1,\"options\":{\"dryRun\":true,\"ids\":[1,2,3]}}", e.previousHash()}) {
            text.append(value.length()).append(':').append(value).append('|');
        }
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        assertThat(AuditHasher.hash(e)).isEqualTo(expected);

        AuditEntry bare = new AuditEntry("aud_1", Instant.ofEpochMilli(5), null, null, null, null, null,
                AuditResult.SUCCESS, null, null, null, 0, null, List.of(), null, null, Map.of(), null, null);
        String bareText = "5:aud_1|1:5|~|~|~|~|~|7:SUCCESS|~|~|~|1:0|~|2:[]|~|~|2:{}|~|";
        assertThat(AuditHasher.hash(bare)).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(bareText.getBytes(StandardCharsets.UTF_8))));
    }

    /** Reflective, so a field added to AuditEntry later but left out of the hash fails here. */
    @Test
    void changingAnyFieldButTheHashItselfChangesTheHash() throws Exception {
        String original = AuditHasher.hash(base);
        Set<String> changed = new HashSet<>();
        for (int i = 0; i < FIELDS.length; i++) {
            String name = FIELDS[i].getName();
            for (Object other : otherValues(FIELDS[i], FIELDS[i].getAccessor().invoke(base))) {
                AuditEntry variant = with(base, i, other);
                if (name.equals("hash")) {
                    assertThat(AuditHasher.hash(variant)).as("the hash does not cover itself").isEqualTo(original);
                } else {
                    assertThat(AuditHasher.hash(variant)).as("%s changed to %s", name, other).isNotEqualTo(original);
                    changed.add(name);
                }
            }
        }
        assertThat(changed).hasSize(FIELDS.length - 1);
    }

    @Test
    void textShiftedBetweenNeighbouringFieldsOrNullVersusTextChangesTheHash() {
        AuditEntry a = entry("ab", "c", null);
        AuditEntry b = entry("a", "bc", null);
        AuditEntry c = entry("a|1:b", "c", null);
        AuditEntry nullUser = entry("a", null, null);
        AuditEntry tildeUser = entry("a", "~", null);
        AuditEntry emptyUser = entry("a", "", null);
        List<String> hashes = List.of(a, b, c, nullUser, tildeUser, emptyUser, entry("a", "", "x"), entry("a", "", ""))
                .stream().map(AuditHasher::hash).toList();
        assertThat(hashes).doesNotHaveDuplicates();
        AuditEntry noCost = with(base, index("tokensCost"), null);
        AuditEntry zeroCost = with(base, index("tokensCost"), 0L);
        assertThat(AuditHasher.hash(noCost)).isNotEqualTo(AuditHasher.hash(zeroCost));
    }

    @Test
    void argumentMapOrderDoesNotMatterAtAnyDepthButListOrderDoes() {
        Map<String, Object> innerAb = new LinkedHashMap<>();
        innerAb.put("a", 1);
        innerAb.put("b", List.of("x", "y"));
        Map<String, Object> innerBa = new LinkedHashMap<>();
        innerBa.put("b", List.of("x", "y"));
        innerBa.put("a", 1);
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("zeta", "z");
        one.put("alpha", innerAb);
        one.put("Mid", 3L);
        Map<String, Object> two = new LinkedHashMap<>();
        two.put("Mid", 3);
        two.put("alpha", innerBa);
        two.put("zeta", "z");
        int args = index("arguments");
        assertThat(AuditHasher.hash(with(base, args, one))).isEqualTo(AuditHasher.hash(with(base, args, two)));

        Map<String, Object> reversedList = new LinkedHashMap<>(one);
        reversedList.put("alpha", Map.of("a", 1, "b", List.of("y", "x")));
        assertThat(AuditHasher.hash(with(base, args, reversedList))).isNotEqualTo(AuditHasher.hash(with(base, args, one)));
        int policies = index("policyIds");
        assertThat(AuditHasher.hash(with(base, policies, List.of("pol_2", "pol_1"))))
                .isNotEqualTo(AuditHasher.hash(with(base, policies, List.of("pol_1", "pol_2"))));
    }

    @Test
    void normalizeGivesTheArgumentsAsAStoreReadsThemBackSoTheHashSurvivesStorage() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("when", "2026-03-10");
        nested.put("none", null);
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("price", new BigDecimal("1.10"));
        raw.put("ratio", 0.1f);
        raw.put("big", Long.MAX_VALUE);
        raw.put("small", 7L);
        raw.put("result", AuditResult.DENIED);
        raw.put("flag", true);
        raw.put("letter", 'c');
        raw.put("ids", List.of(1L, 2, "3"));
        raw.put("nested", nested);
        raw.put("ünïcødé 🚀", "=cmd|' /C calc'!A0");

        Map<String, Object> normalized = AuditHasher.normalize(raw);
        Map<String, Object> stored = JsonCodec.mapFromJson(JsonCodec.mapToJson(normalized));

        assertThat(normalized).isEqualTo(stored);
        assertThat(normalized).containsEntry("result", "DENIED").containsEntry("small", 7).containsEntry("letter", "c")
                .containsEntry("price", 1.1).containsEntry("big", Long.MAX_VALUE).containsEntry("ids", List.of(1, 2, "3"));
        assertThat(AuditHasher.normalize(normalized)).isEqualTo(normalized);
        int args = index("arguments");
        assertThat(AuditHasher.hash(with(base, args, normalized))).isEqualTo(AuditHasher.hash(with(base, args, stored)));
        // Why normalize exists: hashed raw, 1.10 would not hash as the 1.1 a store reads back.
        assertThat(AuditHasher.hash(with(base, args, raw))).isNotEqualTo(AuditHasher.hash(with(base, args, stored)));
        assertThat(raw.get("price")).isEqualTo(new BigDecimal("1.10"));
    }

    @Test
    void normalizeOfNothingIsAnEmptyMapAndUnserialisableArgumentsNameTheField() {
        assertThat(AuditHasher.normalize(null)).isEmpty();
        assertThat(AuditHasher.normalize(Map.of())).isEmpty();
        Map<String, Object> bad = Map.of("handle", new Object());
        assertThatThrownBy(() -> AuditHasher.normalize(bad)).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.field()).isEqualTo("arguments"));
    }

    @Test
    void millisecondsAreTheTimestampPrecision() {
        int ts = index("timestamp");
        AuditEntry plusMicro = with(base, ts, base.timestamp().plusNanos(1_000));
        AuditEntry plusMilli = with(base, ts, base.timestamp().plusMillis(1));
        assertThat(AuditHasher.hash(plusMicro)).isEqualTo(base.hash());
        assertThat(AuditHasher.hash(plusMilli)).isNotEqualTo(base.hash());
    }

    // ---------------------------------------------------------------------------------------------

    private static AuditEntry entry(String agentId, String userId, String tenantId) {
        return new AuditEntry("aud_1", TestEntries.T0, agentId, userId, tenantId, "execute", "x", AuditResult.ALLOWED,
                "ALLOWED", "r", 1L, 1, null, List.of(), null, null, Map.of(), AuditEntry.GENESIS, null);
    }

    /** Values of the same type that differ from {@code value}, null among them when it is allowed. */
    private static List<Object> otherValues(RecordComponent field, Object value) {
        boolean nullable = !field.getType().isPrimitive() && !Set.of("id", "timestamp", "result").contains(field.getName());
        List<Object> out = new ArrayList<>();
        if (nullable && value != null) {
            out.add(null);
        }
        if (value instanceof String s) {
            out.add(s + "x");
            out.add(s.substring(1));
        } else if (value instanceof Instant t) {
            out.add(t.plusMillis(1));
            out.add(t.minusSeconds(3600));
        } else if (value instanceof AuditResult r) {
            Arrays.stream(AuditResult.values()).filter(other -> other != r).forEach(out::add);
        } else if (value instanceof Long n) {
            out.add(n + 1);
        } else if (value instanceof List<?> list) {
            List<Object> longer = new ArrayList<>(list);
            longer.add("pol_extra");
            out.add(longer);
            out.add(list.subList(1, list.size()));
            List<Object> reversed = new ArrayList<>(list);
            java.util.Collections.reverse(reversed);
            out.add(reversed);
        } else if (value instanceof Map<?, ?> map) {
            Map<Object, Object> more = new LinkedHashMap<>(map);
            more.put("extra", 1);
            out.add(more);
            Map<Object, Object> changed = new LinkedHashMap<>(map);
            changed.put("n", 999);
            out.add(changed);
            Map<Object, Object> deeper = new LinkedHashMap<>(map);
            deeper.put("options", Map.of("dryRun", false, "ids", List.of(1, 2, 3)));
            out.add(deeper);
        } else {
            throw new AssertionError("a field type this test does not vary: " + value);
        }
        return out;
    }

    private static int index(String name) {
        for (int i = 0; i < FIELDS.length; i++) {
            if (FIELDS[i].getName().equals(name)) {
                return i;
            }
        }
        throw new AssertionError("no field " + name);
    }

    private static AuditEntry copy(AuditEntry e) {
        return with(e, index("id"), e.id());
    }

    /** {@code e} with field {@code index} set to {@code value}; the hash field is copied as is. */
    private static AuditEntry with(AuditEntry e, int index, Object value) {
        try {
            Object[] values = new Object[FIELDS.length];
            Class<?>[] types = new Class<?>[FIELDS.length];
            for (int i = 0; i < FIELDS.length; i++) {
                values[i] = i == index ? value : FIELDS[i].getAccessor().invoke(e);
                types[i] = FIELDS[i].getType();
            }
            Constructor<AuditEntry> constructor = AuditEntry.class.getDeclaredConstructor(types);
            return constructor.newInstance(values);
        } catch (ReflectiveOperationException ex) {
            throw new AssertionError(ex);
        }
    }
}
