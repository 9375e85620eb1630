package io.kavach.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kavach.Decision;
import io.kavach.agent.AgentCredentials;
import io.kavach.model.Agent;
import io.kavach.model.Permission;
import io.kavach.spi.codec.JsonCodec;
import java.time.Instant;
import java.util.List;

/** The JSON the commands print with {@code --json}: field names as in the library's records. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    static String decision(Decision d) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("allowed", d.allowed());
        node.put("code", d.code().name());
        node.put("reason", d.reason());
        node.put("auditId", d.auditId());
        node.put("agentId", d.agentId());
        node.set("grant", d.grant() == null ? null : permissions(List.of(d.grant())).get(0));
        node.put("delegationChainId", d.delegationChainId());
        node.set("triggeredPolicyIds", strings(d.triggeredPolicyIds()));
        node.set("warnings", strings(d.warnings()));
        node.put("retryAfter", instant(d.retryAfter()));
        node.put("approvalId", d.approvalId());
        node.put("usageId", d.usageId());
        node.put("timestamp", instant(d.timestamp()));
        return write(node);
    }

    static String credentials(AgentCredentials credentials, Instant now) {
        ObjectNode node = agentNode(credentials.agent(), now);
        node.put("token", credentials.token());
        return write(node);
    }

    static ObjectNode agentNode(Agent a, Instant now) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", a.id());
        node.put("ownerId", a.ownerId());
        node.put("tenantId", a.tenantId());
        node.put("name", a.name());
        node.put("type", a.type().name());
        node.put("status", a.statusAt(now).name());
        node.set("permissions", permissions(a.permissions()));
        node.put("expiresAt", instant(a.expiresAt()));
        node.put("tokenPrefix", a.tokenPrefix());
        node.put("createdAt", instant(a.createdAt()));
        return node;
    }

    /** A permission's constraints as compact JSON, such as {@code {"maxCallsPerHour":3}}. */
    static String constraints(Permission permission) {
        JsonNode constraints = permissions(List.of(permission)).get(0).get("constraints");
        return constraints == null ? "{}" : constraints.toString();
    }

    private static ArrayNode permissions(List<Permission> permissions) {
        try {
            return (ArrayNode) MAPPER.readTree(JsonCodec.permissionsToJson(permissions));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("permission JSON is unreadable", e);
        }
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode array = MAPPER.createArrayNode();
        values.forEach(array::add);
        return array;
    }

    private static String instant(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON output failed", e);
        }
    }
}
