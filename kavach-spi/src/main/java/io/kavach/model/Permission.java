package io.kavach.model;

import io.kavach.error.InvalidInputException;
import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * A grant: the actions an agent may take on the resources a pattern matches, under constraints.
 * Actions are names such as {@code read} or {@code execute}, or {@code *} for every action.
 *
 * @param resource    the resource pattern
 * @param actions     the granted actions, sorted; never empty
 * @param constraints extra conditions, {@link Constraints#NONE} for none
 */
public record Permission(ResourcePattern resource, Set<String> actions, Constraints constraints) {
    /** The action that stands for every action. */
    public static final String ANY_ACTION = "*";
    /** The longest action name accepted. */
    public static final int MAX_ACTION_LENGTH = 64;

    public Permission {
        if (resource == null) {
            throw new InvalidInputException("resource", null, "must not be null");
        }
        if (actions == null || actions.isEmpty()) {
            throw new InvalidInputException("actions", actions, "must name at least one action");
        }
        TreeSet<String> sorted = new TreeSet<>();
        for (String action : actions) {
            String problem = actionProblem(action);
            if (problem != null) {
                throw new InvalidInputException("actions", action, problem);
            }
            sorted.add(action);
        }
        actions = Collections.unmodifiableSet(sorted);
        constraints = constraints == null ? Constraints.NONE : constraints;
    }

    /** A permission without constraints. */
    public static Permission of(String resource, String... actions) {
        return new Permission(ResourcePattern.of(resource), Set.of(actions), Constraints.NONE);
    }

    /** A permission without constraints. */
    public static Permission of(String resource, Collection<String> actions) {
        return new Permission(ResourcePattern.of(resource), Set.copyOf(actions), Constraints.NONE);
    }

    /** This permission with other constraints. */
    public Permission withConstraints(Constraints newConstraints) {
        return new Permission(resource, actions, newConstraints);
    }

    /**
     * What is wrong with {@code action} as an action name, or null: letters, digits, {@code _ . -},
     * starting with a letter, at most 64 characters; or {@code *}.
     */
    public static String actionProblem(String action) {
        if (action == null) {
            return "must not be null";
        }
        if (action.equals(ANY_ACTION)) {
            return null;
        }
        if (action.isEmpty() || action.length() > MAX_ACTION_LENGTH) {
            return "must be 1 to " + MAX_ACTION_LENGTH + " characters";
        }
        if (!Character.isLetter(action.charAt(0))) {
            return "must start with a letter, or be '*'";
        }
        for (int i = 1; i < action.length(); i++) {
            char c = action.charAt(i);
            if (!Character.isLetterOrDigit(c) && c != '_' && c != '.' && c != '-') {
                return "may contain only letters, digits, '_', '.' and '-'";
            }
        }
        return null;
    }

    /** Whether this permission grants {@code action} on {@code resource}, before its constraints. */
    public boolean grants(String action, String resource) {
        return (actions.contains(ANY_ACTION) || actions.contains(action)) && this.resource.matches(resource);
    }

    /** Whether this permission's actions include all of {@code other}'s. */
    public boolean coversActions(Set<String> other) {
        return actions.contains(ANY_ACTION) || (!other.contains(ANY_ACTION) && actions.containsAll(other));
    }

    /** A stable key naming this grant, used to count its rate limit. */
    public String key() {
        return resource + "|" + String.join(",", actions);
    }

    @Override
    public String toString() {
        return resource + " " + actions + (constraints.isEmpty() ? "" : " " + constraints);
    }
}
