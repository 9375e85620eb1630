package io.kavach.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Ids")
class IdsTest {

    static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    static final Instant T0 = Instant.parse("2025-06-01T12:00:00.123Z");

    /** The milliseconds encoded in the first 10 characters after the prefix. */
    static long millisOf(String prefix, String id) {
        long millis = 0;
        for (int i = 0; i < 10; i++) {
            millis = millis * 32 + CROCKFORD.indexOf(id.charAt(prefix.length() + i));
        }
        return millis;
    }

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        private volatile Instant now;

        ManualClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @ParameterizedTest(name = "prefix {0}")
    @ValueSource(strings = {Ids.AGENT, Ids.DELEGATION, Ids.POLICY, Ids.AUDIT, Ids.COST_EVENT, Ids.APPROVAL})
    @DisplayName("an id is the prefix and 26 Crockford base-32 characters, starting with the time")
    void format(String prefix) {
        String id = Ids.generator(Clock.fixed(T0, ZoneOffset.UTC)).next(prefix);
        assertThat(id).startsWith(prefix).hasSize(prefix.length() + 26);
        assertThat(id.substring(prefix.length())).matches("[0-9A-HJKMNP-TV-Z]{26}");
        assertThat(millisOf(prefix, id)).isEqualTo(T0.toEpochMilli());
        assertThat(Ids.isValid(prefix, id)).isTrue();
    }

    @Test
    @DisplayName("isValid checks prefix, length, alphabet and the 48-bit time")
    void isValid() {
        String id = Ids.generator(Clock.fixed(T0, ZoneOffset.UTC)).next(Ids.AGENT);
        String body = id.substring(4);
        assertThat(Ids.isValid(Ids.AGENT, id)).isTrue();
        assertThat(Ids.isValid(Ids.DELEGATION, id)).isFalse();
        assertThat(Ids.isValid(Ids.AGENT, null)).isFalse();
        assertThat(Ids.isValid(Ids.AGENT, "agt_")).isFalse();
        assertThat(Ids.isValid(Ids.AGENT, id + "0")).isFalse();
        assertThat(Ids.isValid(Ids.AGENT, id.substring(0, id.length() - 1))).isFalse();
        assertThat(Ids.isValid(Ids.AGENT, "agt_" + body.toLowerCase())).isFalse();
        for (char excluded : new char[] {'I', 'L', 'O', 'U', '-', '_'}) {
            assertThat(Ids.isValid(Ids.AGENT, "agt_" + body.substring(0, 25) + excluded)).isFalse();
        }
        assertThat(Ids.isValid(Ids.AGENT, "agt_7" + "Z".repeat(25))).isTrue();
        assertThat(Ids.isValid(Ids.AGENT, "agt_8" + "Z".repeat(25))).isFalse(); // beyond 48 bits
        assertThat(Ids.isValid(Ids.AGENT, "agt_" + "0".repeat(26))).isTrue();
    }

    @Test
    @DisplayName("10,000 ids from a fixed clock are unique and strictly increasing")
    void monotonicWithinOneMillisecond() {
        Ids ids = Ids.generator(Clock.fixed(T0, ZoneOffset.UTC));
        String previous = ids.next(Ids.AUDIT);
        Set<String> seen = new HashSet<>();
        seen.add(previous);
        for (int i = 0; i < 10_000; i++) {
            String id = ids.next(Ids.AUDIT);
            assertThat(id).isGreaterThan(previous);
            assertThat(millisOf(Ids.AUDIT, id)).isEqualTo(T0.toEpochMilli());
            seen.add(id);
            previous = id;
        }
        assertThat(seen).hasSize(10_001);
    }

    @Test
    @DisplayName("an id from a later millisecond sorts after, across generators too")
    void laterMillisecondSortsAfter() {
        ManualClock clock = new ManualClock(T0);
        Ids ids = Ids.generator(clock);
        List<String> made = new ArrayList<>();
        for (int ms = 0; ms < 50; ms++) {
            clock.set(T0.plusMillis(ms));
            for (int i = 0; i < 20; i++) {
                made.add(ids.next(Ids.AGENT));
            }
        }
        assertThat(made).isSorted().doesNotHaveDuplicates();

        for (int i = 0; i < 200; i++) {
            String earlier = Ids.generator(Clock.fixed(T0, ZoneOffset.UTC)).next(Ids.POLICY);
            String later = Ids.generator(Clock.fixed(T0.plusMillis(1), ZoneOffset.UTC)).next(Ids.POLICY);
            assertThat(later).isGreaterThan(earlier);
        }
    }

    @Test
    @DisplayName("a clock going backwards does not break the order")
    void clockGoingBackwards() {
        ManualClock clock = new ManualClock(T0);
        Ids ids = Ids.generator(clock);
        String first = ids.next(Ids.AGENT);
        clock.set(T0.minusSeconds(5));
        String second = ids.next(Ids.AGENT);
        assertThat(second).isGreaterThan(first);
        assertThat(millisOf(Ids.AGENT, second)).isEqualTo(T0.toEpochMilli());
    }

    @Test
    @DisplayName("8 threads sharing one generator make unique ids, each thread's in increasing order")
    void concurrentGenerationIsUnique() throws Exception {
        Ids ids = Ids.generator(Clock.systemUTC());
        int threads = 8;
        int perThread = 5_000;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Callable<List<String>> task = () -> {
                    start.await();
                    List<String> out = new ArrayList<>(perThread);
                    for (int i = 0; i < perThread; i++) {
                        out.add(ids.next(Ids.AUDIT));
                    }
                    return out;
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            Set<String> all = new HashSet<>();
            for (Future<List<String>> future : futures) {
                List<String> made = future.get(60, TimeUnit.SECONDS);
                assertThat(made).isSorted();
                all.addAll(made);
            }
            assertThat(all).hasSize(threads * perThread);
            assertThat(all).allMatch(id -> Ids.isValid(Ids.AUDIT, id));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void lowestAtSortsAboveEveryIdMadeEarlierAndAtOrBelowEveryIdMadeThen() {
        Instant at = Instant.parse("2026-03-10T10:00:00.123Z");
        String bound = Ids.lowestAt(Ids.AUDIT, at);
        assertThat(Ids.isValid(Ids.AUDIT, bound)).isTrue();
        for (int i = 0; i < 200; i++) {
            String before = Ids.generator(Clock.fixed(at.minusMillis(1), ZoneOffset.UTC)).next(Ids.AUDIT);
            String then = Ids.generator(Clock.fixed(at, ZoneOffset.UTC)).next(Ids.AUDIT);
            String after = Ids.generator(Clock.fixed(at.plusMillis(1), ZoneOffset.UTC)).next(Ids.AUDIT);
            assertThat(before).isLessThan(bound);
            assertThat(then).isGreaterThanOrEqualTo(bound);
            assertThat(after).isGreaterThan(bound);
        }
    }
}
