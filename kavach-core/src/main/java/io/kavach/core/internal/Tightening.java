package io.kavach.core.internal;

import io.kavach.model.Constraints;
import io.kavach.model.Glob;
import io.kavach.model.IpRange;
import io.kavach.model.TimeWindow;
import java.util.List;

/**
 * Combines a delegator's constraints with those a delegation asks for, so that the result is never
 * wider than the delegator's: unset requested constraints inherit the delegator's, set ones must
 * be at least as narrow. Pure functions.
 */
final class Tightening {
    private Tightening() {
    }

    /** The combined constraints, or the reason they would widen the delegator's. */
    record Result(Constraints constraints, String widening) {
        boolean ok() {
            return widening == null;
        }
    }

    static Result tighten(Constraints held, Constraints requested) {
        Integer maxCalls = minimum(held.maxCallsPerHour(), requested.maxCallsPerHour());

        List<Glob> globs = held.allowedArgPatterns();
        if (!requested.allowedArgPatterns().isEmpty()) {
            for (Glob glob : requested.allowedArgPatterns()) {
                if (!held.allowedArgPatterns().isEmpty() && !globCovered(held.allowedArgPatterns(), glob)) {
                    return new Result(null, "argument pattern '" + glob + "' is wider than the delegator's "
                            + held.allowedArgPatterns());
                }
            }
            globs = requested.allowedArgPatterns();
        }

        TimeWindow window = held.timeWindow();
        if (requested.timeWindow() != null) {
            if (window != null && !window.encloses(requested.timeWindow())) {
                return new Result(null, "time window " + requested.timeWindow() + " is not inside the delegator's " + window);
            }
            window = requested.timeWindow();
        }

        List<IpRange> ips = held.ipAllowlist();
        if (!requested.ipAllowlist().isEmpty()) {
            for (IpRange range : requested.ipAllowlist()) {
                if (!held.ipAllowlist().isEmpty() && held.ipAllowlist().stream().noneMatch(h -> h.encloses(range))) {
                    return new Result(null, "IP range " + range + " is outside the delegator's allowlist " + held.ipAllowlist());
                }
            }
            ips = requested.ipAllowlist();
        }

        boolean approval = held.requireApproval() || requested.requireApproval();
        return new Result(new Constraints(maxCalls, globs, approval, window, ips), null);
    }

    /** A glob is covered when the delegator has the same glob, or it is a literal one of them matches. */
    private static boolean globCovered(List<Glob> held, Glob glob) {
        return held.contains(glob) || (glob.isLiteral() && held.stream().anyMatch(h -> h.matches(glob.toString())));
    }

    private static Integer minimum(Integer a, Integer b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : Math.min(a, b);
    }
}
