package io.kavach.spi.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kavach.error.ErrorCode;
import io.kavach.error.InvalidInputException;
import io.kavach.error.StoreException;
import io.kavach.model.Constraints;
import io.kavach.model.Permission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;

@DisplayName("JsonCodec")
class JsonCodecTest {

    static Stream<Permission> permissions() {
        return Stream.of(
                Permission.of("a", "read"),
                Permission.of("tools:**", "*"),
                Permission.of("x:*:y", "read", "write", "delete"),
                Permission.of("a:*", "read").withConstraints(Constraints.builder().maxCallsPerHour(0).build()),
                Permission.of("a:*", "read").withConstraints(Constraints.builder().maxCallsPerHour(250).build()),
                Permission.of("a:*", "read").withConstraints(
                        Constraints.builder().allowedArgPatterns("*.csv", "report-??", "\"quoted\" \\ back").build()),
                Permission.of("a:*", "read").withConstraints(Constraints.builder().requireApproval(true).build()),
                Permission.of("a:*", "read").withConstraints(Constraints.builder().timeWindow("22:00-06:00").build()),
                Permission.of("a:*", "read").withConstraints(
                        Constraints.builder().timeWindow("09:30-17:45", "Asia/Kolkata").build()),
                Permission.of("a:*", "read").withConstraints(
                        Constraints.builder().timeWindow("09:00-17:00", "+05:30").build()),
                Permission.of("a:*", "read").withConstraints(
                        Constraints.builder().ipAllowlist("10.0.0.0/8", "192.168.1.7", "2001:db8::/32", "::1",
                                "::ffff:10.1.2.3").build()),
                Permission.of("ünï:**", "lëse").withConstraints(Constraints.builder()
                        .maxCallsPerHour(7)
                        .allowedArgPatterns("*")
                        .requireApproval(true)
                        .timeWindow("08:00-20:00", "America/New_York")
                        .ipAllowlist("0.0.0.0/0", "::/0")
                        .build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("permissions")
    @DisplayName("a permission survives a round trip unchanged")
    void permissionRoundTrip(Permission permission) {
        String json = JsonCodec.permissionsToJson(List.of(permission));
        List<Permission> back = JsonCodec.permissionsFromJson(json);
        assertThat(back).containsExactly(permission);
        assertThat(back.get(0).constraints()).isEqualTo(permission.constraints());
        // and the written form is stable
        assertThat(JsonCodec.permissionsToJson(back)).isEqualTo(json);
    }

    @Test
    @DisplayName("a list of permissions keeps its order")
    void listRoundTrip() {
        List<Permission> all = permissions().toList();
        assertThat(JsonCodec.permissionsFromJson(JsonCodec.permissionsToJson(all))).containsExactlyElementsOf(all);
        assertThat(JsonCodec.permissionsToJson(List.of())).isEqualTo("[]");
    }

    @Test
    @DisplayName("constraints that are not set are left out of the JSON")
    void unsetConstraintsLeftOut() {
        assertThat(JsonCodec.permissionsToJson(List.of(Permission.of("a:*", "write", "read"))))
                .isEqualTo("[{\"resource\":\"a:*\",\"actions\":[\"read\",\"write\"]}]");
        assertThat(JsonCodec.permissionsToJson(List.of(Permission.of("a", "read")
                .withConstraints(Constraints.builder().maxCallsPerHour(3).build()))))
                .isEqualTo("[{\"resource\":\"a\",\"actions\":[\"read\"],\"constraints\":{\"maxCallsPerHour\":3}}]");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @DisplayName("absent permission JSON reads as no permissions")
    void absentPermissions(String json) {
        assertThat(JsonCodec.permissionsFromJson(json)).isEmpty();
    }

    @Test
    @DisplayName("unreadable stored JSON is a store failure")
    void unreadableJson() {
        assertThatThrownBy(() -> JsonCodec.permissionsFromJson("[{"))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.STORE_FAILURE));
        assertThatThrownBy(() -> JsonCodec.mapFromJson("{\"a\":"))
                .isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> JsonCodec.stringsFromJson("[\"a\""))
                .isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> JsonCodec.stringsFromJson("{}"))
                .isInstanceOf(StoreException.class);
    }

    @Test
    @DisplayName("a free-form map survives a round trip, nesting and order included")
    void mapRoundTrip() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("deep", List.of(1, 2, 3));
        nested.put("flag", false);
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", "agent \"007\"");
        map.put("count", 42);
        map.put("big", 9_007_199_254_740_993L);
        map.put("ratio", 0.25);
        map.put("enabled", true);
        map.put("none", null);
        map.put("tags", List.of("a", "b"));
        map.put("nested", nested);
        map.put("ünïcödé", "✓");
        Map<String, Object> back = JsonCodec.mapFromJson(JsonCodec.mapToJson(map));
        assertThat(back).isEqualTo(map);
        assertThat(back.keySet()).containsExactlyElementsOf(map.keySet());
    }

    @Test
    @DisplayName("null and empty maps")
    void emptyMaps() {
        assertThat(JsonCodec.mapToJson(null)).isEqualTo("{}");
        assertThat(JsonCodec.mapToJson(Map.of())).isEqualTo("{}");
        assertThat(JsonCodec.mapFromJson(null)).isEmpty();
        assertThat(JsonCodec.mapFromJson("")).isEmpty();
        assertThat(JsonCodec.mapFromJson("{}")).isEmpty();
    }

    @Test
    @DisplayName("a value that cannot be written is invalid input named metadata")
    void unwritableMap() {
        Map<String, Object> map = Map.of("bad", new Object());
        assertThatThrownBy(() -> JsonCodec.mapToJson(map))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.field()).isEqualTo("metadata"));
    }

    @Test
    @DisplayName("a list of strings survives a round trip")
    void stringsRoundTrip() {
        List<String> values = new ArrayList<>(List.of("a", "", "with \"quotes\"", "back\\slash", "new\nline", "ünï"));
        values.add(null);
        assertThat(JsonCodec.stringsFromJson(JsonCodec.stringsToJson(values))).isEqualTo(values);
        assertThat(JsonCodec.stringsToJson(null)).isEqualTo("[]");
        assertThat(JsonCodec.stringsFromJson(null)).isEmpty();
        assertThat(JsonCodec.stringsFromJson("")).isEmpty();
        assertThat(JsonCodec.stringsFromJson("[]")).isEmpty();
    }
}
