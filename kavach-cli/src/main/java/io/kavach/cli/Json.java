package io.kavach.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kavach.Decision;
import io.kavach.agent.AgentCredentials;
import io.kavach.cost.AgentCost;
import io.kavach.cost.CostPeriod;
import io.kavach.cost.CostReport;
import io.kavach.model.Agent;
import io.kavach.model.CostEvent;
import io.kavach.model.Microdollars;
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

    /** A recorded cost: the event's fields, the cost both as microdollars and as exact decimal text. */
    static String costEvent(CostEvent e) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", e.id());
        node.put("timestamp", instant(e.timestamp()));
        node.put("day", e.day());
        node.put("agentId", e.agentId());
        node.put("ownerId", e.ownerId());
        node.put("tenantId", e.tenantId());
        node.put("tool", e.tool());
        node.put("inputTokens", e.inputTokens());
        node.put("outputTokens", e.outputTokens());
        node.put("costMicros", e.costMicros());
        node.put("cost", Microdollars.of(e.costMicros()).toDollars().toPlainString());
        node.put("currency", e.currency());
        node.set("metadata", MAPPER.valueToTree(e.metadata()));
        node.put("delegationChainId", e.delegationChainId());
        return write(node);
    }

    /** A cost report; {@code kind} is agent, owner or chain. */
    static String costReport(String kind, CostReport r) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("kind", kind);
        node.put("subject", r.subject());
        node.set("period", period(r.period()));
        node.put("currency", r.currency());
        money(node, "total", r.total());
        node.put("calls", r.calls());
        node.put("inputTokens", r.inputTokens());
        node.put("outputTokens", r.outputTokens());
        ArrayNode tools = node.putArray("byTool");
        for (CostReport.ToolCost t : r.byTool()) {
            ObjectNode tool = tools.addObject();
            tool.put("tool", t.tool());
            money(tool, "cost", t.cost());
            tool.put("calls", t.calls());
            tool.put("inputTokens", t.inputTokens());
            tool.put("outputTokens", t.outputTokens());
        }
        ArrayNode days = node.putArray("byDay");
        for (CostReport.DayCost d : r.byDay()) {
            ObjectNode day = days.addObject();
            day.put("day", d.day().toString());
            money(day, "cost", d.cost());
            day.put("calls", d.calls());
        }
        node.put("fromRollups", r.fromRollups());
        return write(node);
    }

    /** The top agents by cost, most expensive first. */
    static String topAgents(CostPeriod period, List<AgentCost> agents) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("kind", "top");
        node.set("period", period(period));
        node.put("currency", "USD");
        ArrayNode array = node.putArray("agents");
        int rank = 0;
        for (AgentCost a : agents) {
            ObjectNode agent = array.addObject();
            agent.put("rank", ++rank);
            agent.put("agentId", a.agentId());
            agent.put("ownerId", a.ownerId());
            money(agent, "total", a.total());
            agent.put("calls", a.calls());
        }
        return write(node);
    }

    /** {@code <name>Micros} and {@code <name>} (exact decimal dollars as text, never a binary float). */
    private static void money(ObjectNode node, String name, Microdollars amount) {
        node.put(name + "Micros", amount.micros());
        node.put(name, amount.toDollars().toPlainString());
    }

    private static JsonNode period(CostPeriod period) {
        if (period == null) {
            return MAPPER.nullNode();
        }
        ObjectNode node = MAPPER.createObjectNode();
        node.put("start", instant(period.start()));
        node.put("end", instant(period.end()));
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
