package io.kavach.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kavach.model.AuditEntry;
import io.kavach.model.AuditResult;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Audit entries as JSON, read back with a plain Jackson ObjectMapper. */
class AuditJsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void anArrayOfNastyEntriesReadsBackEqualAndStillVerifies() throws IOException {
        List<AuditEntry> originals = new ArrayList<>();
        for (int i = 0; i < AuditCsvTest.NASTY.size(); i++) {
            originals.add(AuditCsvTest.nasty(i, AuditCsvTest.NASTY.get(i), AuditCsvTest.NASTY.get((i + 3) % AuditCsvTest.NASTY.size())));
        }
        Random random = new Random(7);
        for (int i = 0; i < 30; i++) {
            originals.add(AuditCsvTest.nasty(100 + i, AuditCsvTest.randomText(random), AuditCsvTest.randomText(random)));
        }
        originals.add(TestEntries.full(500));
        originals = TestEntries.chain(originals, AuditEntry.GENESIS);

        StringWriter out = new StringWriter();
        try (JsonGenerator json = MAPPER.getFactory().createGenerator(out)) {
            json.writeStartArray();
            originals.forEach(e -> AuditJson.write(json, e));
            json.writeEndArray();
        }
        JsonNode array = MAPPER.readTree(out.toString());
        assertThat(array.isArray()).isTrue();
        List<AuditEntry> readBack = new ArrayList<>();
        array.forEach(node -> readBack.add(fromJson(node)));

        assertThat(readBack).isEqualTo(originals);
        ChainVerifier verifier = new ChainVerifier(AuditEntry.GENESIS);
        readBack.forEach(verifier);
        assertThat(verifier.result().ok()).isTrue();
    }

    @Test
    void absentValuesAreJsonNullAndNestedValuesAreJson() throws IOException {
        AuditEntry bare = TestEntries.link(new AuditEntry("aud_1", Instant.parse("2026-03-10T10:00:00.120Z"), null, null,
                null, "agent.created", "agt_1", AuditResult.SUCCESS, "AGENT_CREATED", "created", null, 0, null, List.of(),
                null, null, Map.of(), null, null), AuditEntry.GENESIS);
        JsonNode node = MAPPER.readTree(write(bare));
        assertThat(node.get("tokensCost").isNull()).isTrue();
        assertThat(node.get("agentId").isNull()).isTrue();
        assertThat(node.get("ip").isNull()).isTrue();
        assertThat(node.get("policyIds").isArray()).isTrue();
        assertThat(node.get("arguments").isObject()).isTrue();
        assertThat(node.get("timestamp").asText()).isEqualTo("2026-03-10T10:00:00.120Z");
        assertThat(node.get("durationMicros").isIntegralNumber()).isTrue();
        assertThat(node.get("previousHash").asText()).isEqualTo(AuditEntry.GENESIS);

        JsonNode full = MAPPER.readTree(write(TestEntries.chain(1).get(0)));
        assertThat(full.get("tokensCost").isIntegralNumber()).isTrue();
        assertThat(full.get("tokensCost").asLong()).isEqualTo(100L);
        assertThat(full.get("arguments").get("options").get("ids").isArray()).isTrue();
        assertThat(full.get("policyIds").get(1).asText()).isEqualTo("pol_b0");
    }

    @Test
    void theFieldsAreTheCsvColumnsInTheSameOrder() throws IOException {
        assertThat(fieldNames(TestEntries.chain(1).get(0))).isEqualTo(AuditCsv.columns());
    }

    static List<String> fieldNames(AuditEntry entry) {
        try {
            List<String> names = new ArrayList<>();
            Iterator<String> it = MAPPER.readTree(write(entry)).fieldNames();
            it.forEachRemaining(names::add);
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String write(AuditEntry entry) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = MAPPER.getFactory().createGenerator(out)) {
            AuditJson.write(json, entry);
        }
        return out.toString();
    }

    static AuditEntry fromJson(JsonNode n) {
        return new AuditEntry(text(n, "id"), Instant.parse(n.get("timestamp").asText()), text(n, "agentId"),
                text(n, "userId"), text(n, "tenantId"), text(n, "action"), text(n, "resource"),
                AuditResult.valueOf(n.get("result").asText()), text(n, "code"), text(n, "reason"),
                n.get("tokensCost").isNull() ? null : n.get("tokensCost").longValue(), n.get("durationMicros").longValue(),
                text(n, "delegationChainId"), MAPPER.convertValue(n.get("policyIds"), new TypeReference<List<String>>() { }),
                text(n, "ip"), text(n, "userAgent"),
                MAPPER.convertValue(n.get("arguments"), new TypeReference<LinkedHashMap<String, Object>>() { }),
                text(n, "previousHash"), text(n, "hash"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        assertThat(value).as("field %s is present", field).isNotNull();
        return value.isNull() ? null : value.textValue();
    }
}
