package io.kavach.bench.jmh;

import io.kavach.AuthorizeRequest;
import io.kavach.Decision;
import io.kavach.model.DecisionCode;
import io.kavach.model.Permission;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Building the values every authorize call builds: the request and the decision. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecisionBenchmark {
    // Not final, so the JIT cannot fold them into constants.
    private Permission grant = Permission.of("mcp:github:*", "read");
    private Instant now = Instant.parse("2026-03-31T12:00:00Z");
    private List<String> policies = List.of("pol_agent", "pol_user", "pol_global");

    @Benchmark
    public AuthorizeRequest authorizeRequestOf() {
        return AuthorizeRequest.of("read", "mcp:github:repos");
    }

    @Benchmark
    public AuthorizeRequest authorizeRequestWithCostAndArguments() {
        return AuthorizeRequest.builder("execute", "llm:openai:chat").tokensCost(1_200).argument("model", "gpt-4o")
                .clientIp("10.0.0.1").build();
    }

    @Benchmark
    public Decision allowedDecision() {
        return new Decision(true, DecisionCode.ALLOWED, "read on mcp:github:repos allowed by own permission mcp:github:*",
                "aud_01KA0000000000000000000001", "agt_01KA0000000000000000000001", grant, null, List.of(), List.of(), null,
                null, "use_01KA0000000000000000000001", now);
    }

    @Benchmark
    public Decision deniedDecision() {
        return new Decision(false, DecisionCode.BUDGET_EXCEEDED, "budget exceeded", "aud_01KA0000000000000000000002",
                "agt_01KA0000000000000000000001", null, null, policies, List.of(), null, null, null, now);
    }
}
