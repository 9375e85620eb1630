package io.kavach;

import io.kavach.error.InvalidInputException;
import io.kavach.model.IpRange;
import io.kavach.spi.internal.Checks;

/**
 * Where a call comes from, as the embedding service saw it.
 *
 * @param ip        the client's literal IPv4 or IPv6 address, or null when unknown
 * @param userAgent the client's user agent, or null
 */
public record ClientContext(String ip, String userAgent) {
    /** No client information: permissions with an IP allowlist deny such calls. */
    public static final ClientContext NONE = new ClientContext(null, null);

    public ClientContext {
        if (ip != null && !IpRange.isAddress(ip)) {
            throw new InvalidInputException("client.ip", ip, "must be a literal IPv4 or IPv6 address");
        }
        userAgent = Checks.optionalText("client.userAgent", userAgent, 512);
    }

    public static ClientContext ip(String ip) {
        return new ClientContext(ip, null);
    }
}
