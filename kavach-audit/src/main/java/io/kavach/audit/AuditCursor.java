package io.kavach.audit;

import io.kavach.error.InvalidInputException;
import io.kavach.model.AuditEntry;
import io.kavach.spi.AuditQuery.Position;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * The opaque page cursor: the base64url form of the last entry's timestamp and id. Keyset paging
 * on (timestamp, id) stays correct while new entries arrive: they sort before the cursor, so no
 * entry is skipped or repeated.
 */
public final class AuditCursor {
    private AuditCursor() {
    }

    public static String encode(AuditEntry last) {
        String raw = last.timestamp().toEpochMilli() + ":" + last.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws InvalidInputException naming the field {@code cursor} when it was not made by {@link #encode} */
    public static Position decode(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = raw.indexOf(':');
            if (colon <= 0 || colon == raw.length() - 1) {
                throw new IllegalArgumentException("no separator");
            }
            return new Position(Instant.ofEpochMilli(Long.parseLong(raw.substring(0, colon))), raw.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("cursor", cursor, "is not a cursor returned by an audit page");
        }
    }
}
