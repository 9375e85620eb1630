package io.kavach.bench.jmh;

import io.kavach.model.Glob;
import io.kavach.model.ResourcePattern;
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

/** Resource pattern matching and covering, and glob matching: the innermost steps of a permission check. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MatchingBenchmark {
    // Not final, so the JIT cannot fold them into constants.
    private ResourcePattern literal = ResourcePattern.of("mcp:github:repos:kavach");
    private ResourcePattern singleWildcard = ResourcePattern.of("mcp:github:*");
    private ResourcePattern doubleWildcard = ResourcePattern.of("mcp:**");
    private ResourcePattern narrower = ResourcePattern.of("mcp:github:repos:*");
    private Glob glob = Glob.parse("bench", "gpt-4o*-mini?");
    private String resource = "mcp:github:repos:kavach";
    private String model = "gpt-4o-2024-mini1";

    @Benchmark
    public boolean matchesLiteral() {
        return literal.matches(resource);
    }

    @Benchmark
    public boolean matchesSingleWildcardMiss() {
        return singleWildcard.matches(resource);
    }

    @Benchmark
    public boolean matchesDoubleWildcard() {
        return doubleWildcard.matches(resource);
    }

    @Benchmark
    public boolean coversNarrower() {
        return doubleWildcard.covers(narrower);
    }

    @Benchmark
    public boolean coversWider() {
        return narrower.covers(doubleWildcard);
    }

    @Benchmark
    public boolean globMatches() {
        return glob.matches(model);
    }
}
