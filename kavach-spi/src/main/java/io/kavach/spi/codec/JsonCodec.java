package io.kavach.spi.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kavach.error.StoreException;
import io.kavach.model.Constraints;
import io.kavach.model.Glob;
import io.kavach.model.IpRange;
import io.kavach.model.Permission;
import io.kavach.model.ResourcePattern;
import io.kavach.model.TimeWindow;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The JSON form in which every store keeps permissions, string lists and free-form maps, so that
 * one database's rows read the same as another's. Thread-safe.
 *
 * <p>A permission is {@code {"resource":…, "actions":[…], "constraints":{…}}}; constraints that
 * are not set are left out.
 */
public final class JsonCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() { };
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };

    private JsonCodec() {
    }

    public static String permissionsToJson(List<Permission> permissions) {
        ArrayNode array = MAPPER.createArrayNode();
        for (Permission permission : permissions) {
            array.add(toNode(permission));
        }
        return array.toString();
    }

    public static List<Permission> permissionsFromJson(String json) {
        List<Permission> permissions = new ArrayList<>();
        for (JsonNode node : parse(json)) {
            permissions.add(fromNode(node));
        }
        return permissions;
    }

    public static String mapToJson(Map<String, Object> map) {
        return write(map == null ? Map.of() : map);
    }

    public static Map<String, Object> mapFromJson(String json) {
        if (json == null || json.isEmpty()) {
            return Map.of();
        }
        try {
            return MAPPER.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored JSON map is unreadable", e);
        }
    }

    public static String stringsToJson(List<String> values) {
        return write(values == null ? List.of() : values);
    }

    public static List<String> stringsFromJson(String json) {
        if (json == null || json.isEmpty()) {
            return List.of();
        }
        try {
            return MAPPER.readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored JSON list is unreadable", e);
        }
    }

    private static ObjectNode toNode(Permission permission) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("resource", permission.resource().toString());
        ArrayNode actions = node.putArray("actions");
        permission.actions().forEach(actions::add);
        Constraints c = permission.constraints();
        if (!c.isEmpty()) {
            ObjectNode constraints = node.putObject("constraints");
            if (c.maxCallsPerHour() != null) {
                constraints.put("maxCallsPerHour", c.maxCallsPerHour());
            }
            if (!c.allowedArgPatterns().isEmpty()) {
                ArrayNode globs = constraints.putArray("allowedArgPatterns");
                c.allowedArgPatterns().forEach(g -> globs.add(g.toString()));
            }
            if (c.requireApproval()) {
                constraints.put("requireApproval", true);
            }
            if (c.timeWindow() != null) {
                ObjectNode window = constraints.putObject("timeWindow");
                window.put("start", c.timeWindow().start().toString());
                window.put("end", c.timeWindow().end().toString());
                window.put("zone", c.timeWindow().zone().getId());
            }
            if (!c.ipAllowlist().isEmpty()) {
                ArrayNode ips = constraints.putArray("ipAllowlist");
                c.ipAllowlist().forEach(r -> ips.add(r.toString()));
            }
        }
        return node;
    }

    private static Permission fromNode(JsonNode node) {
        TreeSet<String> actions = new TreeSet<>();
        node.path("actions").forEach(a -> actions.add(a.asText()));
        JsonNode c = node.path("constraints");
        Constraints constraints = Constraints.NONE;
        if (c.isObject()) {
            List<Glob> globs = new ArrayList<>();
            c.path("allowedArgPatterns").forEach(g -> globs.add(Glob.parse("allowedArgPatterns", g.asText())));
            List<IpRange> ips = new ArrayList<>();
            c.path("ipAllowlist").forEach(r -> ips.add(IpRange.parse("ipAllowlist", r.asText())));
            JsonNode w = c.path("timeWindow");
            TimeWindow window = w.isObject()
                    ? new TimeWindow(LocalTime.parse(w.path("start").asText()), LocalTime.parse(w.path("end").asText()),
                            ZoneId.of(w.path("zone").asText()))
                    : null;
            constraints = new Constraints(
                    c.hasNonNull("maxCallsPerHour") ? c.get("maxCallsPerHour").asInt() : null,
                    globs, c.path("requireApproval").asBoolean(false), window, ips);
        }
        return new Permission(ResourcePattern.of(node.path("resource").asText()), actions, constraints);
    }

    private static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json == null || json.isEmpty() ? "[]" : json);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored permissions are unreadable", e);
        }
    }

    private static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new io.kavach.error.InvalidInputException("metadata", value, "cannot be written as JSON: " + e.getOriginalMessage());
        }
    }
}
