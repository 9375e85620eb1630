package io.kavach;

import io.kavach.error.InvalidInputException;
import io.kavach.model.Permission;
import io.kavach.model.ResourcePattern;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an agent asks to do. Validated when constructed: a request that exists is well formed.
 *
 * @param action     the action, a name such as {@code execute} (not {@code *})
 * @param resource   the concrete resource, such as {@code mcp:github:repos} (no wildcards)
 * @param arguments  the call's arguments; string values are checked against argument patterns
 * @param tokensCost the call's cost in tokens, or null when the caller does not give one
 * @param client     where the call comes from
 * @throws InvalidInputException naming the field when a value is malformed
 */
public record AuthorizeRequest(
        String action, String resource, Map<String, Object> arguments, Long tokensCost, ClientContext client) {

    /** The most top-level arguments a request may carry. */
    public static final int MAX_ARGUMENTS = 256;

    public AuthorizeRequest {
        String actionProblem = Permission.ANY_ACTION.equals(action) ? "must be a concrete action, not '*'" : Permission.actionProblem(action);
        if (actionProblem != null) {
            throw new InvalidInputException("action", action, actionProblem);
        }
        String resourceProblem = ResourcePattern.resourceProblem(resource);
        if (resourceProblem != null) {
            throw new InvalidInputException("resource", resource, resourceProblem);
        }
        if (tokensCost != null && tokensCost < 0) {
            throw new InvalidInputException("tokensCost", tokensCost, "must not be negative");
        }
        if (arguments == null) {
            arguments = Map.of();
        } else {
            if (arguments.size() > MAX_ARGUMENTS) {
                throw new InvalidInputException("arguments", arguments.size() + " entries", "must have at most " + MAX_ARGUMENTS + " entries");
            }
            if (arguments.containsKey(null)) {
                throw new InvalidInputException("arguments", "null key", "keys must not be null");
            }
            arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
        }
        client = client == null ? ClientContext.NONE : client;
    }

    /** A request for {@code action} on {@code resource}, with no arguments, cost or client. */
    public static AuthorizeRequest of(String action, String resource) {
        return new AuthorizeRequest(action, resource, null, null, null);
    }

    public static Builder builder(String action, String resource) {
        return new Builder(action, resource);
    }

    /** A builder for requests with arguments, a token cost or a client. Not thread-safe. */
    public static final class Builder {
        private final String action;
        private final String resource;
        private Map<String, Object> arguments;
        private Long tokensCost;
        private String ip;
        private String userAgent;

        private Builder(String action, String resource) {
            this.action = action;
            this.resource = resource;
        }

        public Builder arguments(Map<String, ?> arguments) {
            this.arguments = arguments == null ? null : new LinkedHashMap<>(arguments);
            return this;
        }

        public Builder argument(String name, Object value) {
            if (arguments == null) {
                arguments = new LinkedHashMap<>();
            }
            arguments.put(name, value);
            return this;
        }

        public Builder tokensCost(long tokensCost) {
            this.tokensCost = tokensCost;
            return this;
        }

        public Builder clientIp(String ip) {
            this.ip = ip;
            return this;
        }

        public Builder userAgent(String userAgent) {
            this.userAgent = userAgent;
            return this;
        }

        /** @throws InvalidInputException naming the field when a value is malformed */
        public AuthorizeRequest build() {
            ClientContext client = ip == null && userAgent == null ? null : new ClientContext(ip, userAgent);
            return new AuthorizeRequest(action, resource, arguments, tokensCost, client);
        }
    }
}
