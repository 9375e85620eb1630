package io.kavach.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kavach.error.InvalidInputException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("IpRange")
class IpRangeTest {

    private static IpRange range(String text) {
        return IpRange.parse("ipAllowlist[0]", text);
    }

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
        // IPv4 single address
        "10.1.2.3,            10.1.2.3,          true",
        "10.1.2.3,            10.1.2.4,          false",
        "10.1.2.3/32,         10.1.2.3,          true",
        "10.1.2.3/32,         10.1.2.2,          false",
        // IPv4 CIDR
        "10.0.0.0/8,          10.0.0.0,          true",
        "10.0.0.0/8,          10.255.255.255,    true",
        "10.0.0.0/8,          11.0.0.0,          false",
        "10.0.0.0/8,          9.255.255.255,     false",
        "192.168.1.0/24,      192.168.1.77,      true",
        "192.168.1.0/24,      192.168.2.77,      false",
        "172.16.0.0/12,       172.31.255.255,    true",
        "172.16.0.0/12,       172.32.0.0,        false",
        "0.0.0.0/0,           1.2.3.4,           true",
        "0.0.0.0/0,           255.255.255.255,   true",
        "0.0.0.0/0,           ::1,               false",
        // host bits in the written network are ignored
        "10.9.9.9/8,          10.1.2.3,          true",
        // IPv6 full and compressed
        "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1,        true",
        "2001:db8::1,         2001:0DB8:0:0:0:0:0:1,                  true",
        "::1,                 0:0:0:0:0:0:0:1,   true",
        "::1,                 ::2,               false",
        "::1,                 127.0.0.1,         false",
        "::,                  ::,                true",
        "::,                  0::0,              true",
        "::,                  ::1,               false",
        "2001:db8::/32,       2001:db8:ffff:1::1, true",
        "2001:db8::/32,       2001:db8::,        true",
        "2001:db8::/32,       2001:db9::1,       false",
        "2001:db8::/32,       10.1.2.3,          false",
        "fe80::/10,           febf::1,           true",
        "fe80::/10,           fec0::1,           false",
        "::/0,                2001:db8::1,       true",
        "1:2:3:4:5:6:7:8/128, 1:2:3:4:5:6:7:8,   true",
        "1:2:3:4:5:6:7:8/128, 1:2:3:4:5:6:7:9,   false",
        "1:2:3:4:5:6:1.2.3.4, 1:2:3:4:5:6:102:304, true",
        // IPv4-mapped IPv6 is the IPv4 address it carries
        "10.0.0.0/8,          ::ffff:10.1.2.3,   true",
        "10.0.0.0/8,          ::FFFF:10.1.2.3,   true",
        "10.0.0.0/8,          ::ffff:a01:203,    true",
        "10.0.0.0/8,          ::ffff:11.1.2.3,   false",
        "10.1.2.3,            ::ffff:10.1.2.3,   true",
        "::ffff:10.1.2.3,     10.1.2.3,          true",
        "::ffff:10.0.0.0/104, 10.200.0.1,        true",
        "::ffff:10.0.0.0/104, 11.0.0.1,          false",
    })
    void containsExamples(String range, String ip, boolean expected) {
        assertThat(range(range).contains(ip)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "contains(\"{0}\") is false")
    @ValueSource(strings = {"localhost", "example.com", "ip6-localhost", "10.0.0.1.nip.io", "", " ", " 10.1.2.3",
        "10.1.2.3 ", "10.1.2.3/32", "10.1.2", "garbage", "::1%lo", "[::1]", "10.1.2.3:8080", "0x0a.1.2.3",
        "\u0661\u0660.1.2.3"})
    @DisplayName("host names and garbage are in no range (no DNS lookup)")
    void hostNamesAndGarbageAreInNoRange(String ip) {
        assertThat(range("0.0.0.0/0").contains(ip)).isFalse();
        assertThat(range("::/0").contains(ip)).isFalse();
        assertThat(range("127.0.0.0/8").contains(ip)).isFalse();
        assertThat(IpRange.isAddress(ip)).isFalse();
    }

    @Test
    @DisplayName("contains(null) is false")
    void containsNull() {
        assertThat(range("0.0.0.0/0").contains(null)).isFalse();
        assertThat(IpRange.isAddress(null)).isFalse();
    }

    @ParameterizedTest(name = "rejects \"{0}\"")
    @ValueSource(strings = {"1.2.3", "256.1.1.1", "01.2.3.4", "1.2.3.4/33", "::1::2", "gggg::", "example.com",
        "10.0.0.0/", "1.2.3.4.5", "1.2.3.-4", "1.2.3.4/-1", "1.2.3.4/ 8", "1.2.3.4/8/8", "1.2.3.4/0008",
        "1.2.3.4/+8", " 1.2.3.4", "2001:db8::/129", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", ":::",
        ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7:", "1::2::3", "1.2.3.4::", "::1.2.3", "::256.0.0.1", "::1%eth0", "[::1]",
        "/8", "::ffff:10.0.0.0/129",
        // only ASCII digits: other scripts' digits (Arabic-Indic, full-width) are not addresses
        "\u0661.2.3.4", "\u0663::", "\uff11::", "10.0.0.0/\u0668", "10.0.0.0/\uff18"})
    void rejectsMalformed(String text) {
        assertThatThrownBy(() -> IpRange.parse("ipAllowlist[2]", text))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("ipAllowlist[2]");
                    assertThat(e.getMessage()).contains(text);
                });
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   "})
    void rejectsBlank(String text) {
        assertThatThrownBy(() -> range(text)).isInstanceOf(InvalidInputException.class);
    }

    @ParameterizedTest(name = "{0} equals {1}")
    @CsvSource({
        "10.1.2.3,             10.1.2.3/32",
        "10.0.0.0/8,           10.1.2.3/8",
        "::ffff:10.1.2.3,      10.1.2.3",
        "::ffff:10.0.0.0/104,  10.0.0.0/8",
        "2001:db8::1,          2001:0db8:0:0:0:0:0:1/128",
        "2001:db8::/32,        2001:db8:1234::/32",
    })
    void equalRanges(String a, String b) {
        assertThat(range(a)).isEqualTo(range(b)).hasSameHashCodeAs(range(b));
    }

    @Test
    @DisplayName("IPv4 and IPv6 are different families")
    void familiesDiffer() {
        assertThat(range("::1")).isNotEqualTo(range("0.0.0.1"));
        assertThat(range("::/0")).isNotEqualTo(range("0.0.0.0/0"));
    }

    @Test
    @DisplayName("toString is the text as written")
    void text() {
        assertThat(range("10.1.2.3/8")).hasToString("10.1.2.3/8");
    }

    @ParameterizedTest(name = "{0} encloses {1}: {2}")
    @CsvSource({
        "10.0.0.0/8,      10.0.0.0/8,       true",
        "10.0.0.0/8,      10.1.0.0/16,      true",
        "10.0.0.0/8,      10.1.2.3,         true",
        "10.0.0.0/8,      11.0.0.0/16,      false",
        "10.0.0.0/8,      10.0.0.0/7,       false",
        "10.0.0.0/8,      0.0.0.0/0,        false",
        "10.1.2.3,        10.1.2.3/32,      true",
        "10.1.2.3,        10.1.2.0/24,      false",
        "0.0.0.0/0,       10.1.2.3,         true",
        "0.0.0.0/0,       192.168.0.0/16,   true",
        "0.0.0.0/0,       ::1,              false",
        "10.0.0.0/8,      ::ffff:10.1.0.0/112, true",
        "2001:db8::/32,   2001:db8:1::/48,  true",
        "2001:db8::/32,   2001:db8::1,      true",
        "2001:db8::/32,   2001:db9::/48,    false",
        "2001:db8::/32,   2001:db8::/31,    false",
        "::/0,            2001:db8::/32,    true",
        "::/0,            10.0.0.0/8,       false",
    })
    void enclosesExamples(String outer, String inner, boolean expected) {
        assertThat(range(outer).encloses(range(inner))).isEqualTo(expected);
    }

    @Test
    @DisplayName("isAddress accepts literal addresses only, not ranges")
    void isAddress() {
        assertThat(IpRange.isAddress("10.1.2.3")).isTrue();
        assertThat(IpRange.isAddress("::1")).isTrue();
        assertThat(IpRange.isAddress("::ffff:10.1.2.3")).isTrue();
        assertThat(IpRange.isAddress("10.0.0.0/8")).isFalse();
        assertThat(IpRange.isAddress("example.com")).isFalse();
    }
}
