package io.kavach.bench;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;

/**
 * The harness's one-line JSON: strings, integral and decimal numbers, booleans and nulls. Doubles
 * print with two decimals; a {@link BigDecimal} prints exactly as it is (for ratios far below 1).
 */
final class Json {
    private Json() {
    }

    static String line(Map<String, Object> fields) {
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            if (out.length() > 1) {
                out.append(',');
            }
            string(out, field.getKey());
            out.append(':');
            Object value = field.getValue();
            if (value == null || value instanceof Boolean || value instanceof Integer || value instanceof Long) {
                out.append(value);
            } else if (value instanceof BigDecimal b) {
                out.append(b.toPlainString());
            } else if (value instanceof Double d) {
                out.append(String.format(Locale.ROOT, "%.2f", d));
            } else {
                string(out, value.toString());
            }
        }
        return out.append('}').toString();
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
