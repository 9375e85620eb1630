package io.kavach.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kavach.model.AuditEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Audit entries as JSON objects with the same fields as the CSV columns ({@link AuditCsv#HEADER});
 * the timestamp is ISO-8601 UTC, absent values are JSON null, and {@code arguments} and
 * {@code policyIds} are nested JSON.
 */
public final class AuditJson {
    private static final ObjectMapper ARGUMENTS = new ObjectMapper()
            .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);

    private AuditJson() {
    }

    public static void write(JsonGenerator json, AuditEntry e) {
        try {
            json.writeStartObject();
            json.writeStringField("id", e.id());
            json.writeStringField("timestamp", e.timestamp().toString());
            json.writeStringField("agentId", e.agentId());
            json.writeStringField("userId", e.userId());
            json.writeStringField("tenantId", e.tenantId());
            json.writeStringField("action", e.action());
            json.writeStringField("resource", e.resource());
            json.writeStringField("result", e.result().name());
            json.writeStringField("code", e.code());
            json.writeStringField("reason", e.reason());
            if (e.tokensCost() == null) {
                json.writeNullField("tokensCost");
            } else {
                json.writeNumberField("tokensCost", e.tokensCost());
            }
            json.writeNumberField("durationMicros", e.durationMicros());
            json.writeStringField("delegationChainId", e.delegationChainId());
            json.writeFieldName("policyIds");
            writeList(json, e.policyIds());
            json.writeStringField("ip", e.ip());
            json.writeStringField("userAgent", e.userAgent());
            json.writeFieldName("arguments");
            // Through our own mapper, so that any generator works, with or without a codec.
            ARGUMENTS.writeValue(json, e.arguments() == null ? Map.of() : e.arguments());
            json.writeStringField("previousHash", e.previousHash());
            json.writeStringField("hash", e.hash());
            json.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException("writing the audit export failed", ex);
        }
    }

    private static void writeList(JsonGenerator json, List<String> values) throws IOException {
        json.writeStartArray();
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }
}
