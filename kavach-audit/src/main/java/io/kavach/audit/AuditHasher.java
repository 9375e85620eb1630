package io.kavach.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kavach.error.InvalidInputException;
import io.kavach.model.AuditEntry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The hash of an audit entry: SHA-256 (lower-case hex) over a canonical encoding of every field
 * except the hash itself, previous hash included. Each field is written as its length, a colon and
 * its text (a null as {@code ~}), so no two different entries encode alike; lists and maps are
 * canonical JSON with sorted keys; the timestamp is epoch milliseconds. Thread-safe.
 */
public final class AuditHasher {
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private AuditHasher() {
    }

    /** The hash {@code entry} must carry, given its {@code previousHash}. */
    public static String hash(AuditEntry e) {
        StringBuilder out = new StringBuilder(256);
        field(out, e.id());
        field(out, Long.toString(e.timestamp().toEpochMilli()));
        field(out, e.agentId());
        field(out, e.userId());
        field(out, e.tenantId());
        field(out, e.action());
        field(out, e.resource());
        field(out, e.result().name());
        field(out, e.code());
        field(out, e.reason());
        field(out, e.tokensCost() == null ? null : Long.toString(e.tokensCost()));
        field(out, Long.toString(e.durationMicros()));
        field(out, e.delegationChainId());
        field(out, json(e.policyIds()));
        field(out, e.ip());
        field(out, e.userAgent());
        field(out, json(e.arguments()));
        field(out, e.previousHash());
        return sha256(out.toString());
    }

    /**
     * {@code arguments} as they read back from a store's JSON: the form in which they must be hashed
     * and kept, so that a stored entry hashes as it did when it was written.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> normalize(Map<String, Object> arguments) {
        if (arguments == null || arguments.isEmpty()) {
            return Map.of();
        }
        try {
            return CANONICAL.readValue(CANONICAL.writeValueAsString(arguments), Map.class);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("arguments", arguments, "cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    private static void field(StringBuilder out, String value) {
        if (value == null) {
            out.append('~');
        } else {
            out.append(value.length()).append(':').append(value);
        }
        out.append('|');
    }

    private static String json(Object value) {
        try {
            return CANONICAL.writeValueAsString(value == null ? List.of() : value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit values are JSON-serialisable", e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
