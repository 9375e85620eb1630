package io.kavach.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * Properties of {@link ResourcePattern#covers} against {@link ResourcePattern#matches}, with seeded
 * random patterns over the segments a, b, c, {@code *} and a trailing {@code **}.
 */
@DisplayName("ResourcePattern properties")
class ResourcePatternPropertyTest {

    private static final String[] LETTERS = {"a", "b", "c"};
    private static final long SEED = 0x4B415641L; // "KAVA"

    // ---- generators -------------------------------------------------------------------------

    /** A random pattern of 1 to maxLength segments; the last may be **. */
    private static String randomPattern(Random random, int maxLength) {
        int length = 1 + random.nextInt(maxLength);
        List<String> segments = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            segments.add(random.nextInt(3) == 0 ? "*" : LETTERS[random.nextInt(3)]);
        }
        if (random.nextInt(3) == 0) {
            segments.set(length - 1, "**");
        }
        return String.join(":", segments);
    }

    /** A pattern at least as wide as {@code pattern} most of the time (but not always). */
    private static String generalize(Random random, String pattern) {
        List<String> segments = new ArrayList<>(List.of(pattern.split(":")));
        for (int i = 0; i < segments.size(); i++) {
            if (!segments.get(i).equals("**") && random.nextInt(3) == 0) {
                segments.set(i, "*");
            }
        }
        if (random.nextInt(3) == 0) {
            int cut = random.nextInt(segments.size()); // keep 0..size-1 segments, then **
            segments = new ArrayList<>(segments.subList(0, cut));
            segments.add("**");
        }
        if (random.nextInt(8) == 0) { // occasionally a wrong literal, so covering fails
            segments.set(random.nextInt(segments.size()), LETTERS[random.nextInt(3)]);
        }
        return String.join(":", segments);
    }

    /** A concrete resource the pattern matches: * becomes a letter, ** one to three letters. */
    private static String instantiate(Random random, String pattern) {
        List<String> out = new ArrayList<>();
        for (String segment : pattern.split(":")) {
            if (segment.equals("*")) {
                out.add(LETTERS[random.nextInt(3)]);
            } else if (segment.equals("**")) {
                int n = 1 + random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    out.add(LETTERS[random.nextInt(3)]);
                }
            } else {
                out.add(segment);
            }
        }
        return String.join(":", out);
    }

    private static String randomResource(Random random) {
        int length = 1 + random.nextInt(7);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            out.add(LETTERS[random.nextInt(3)]);
        }
        return String.join(":", out);
    }

    // ---- properties -------------------------------------------------------------------------

    @RepeatedTest(5)
    @DisplayName("soundness: covers(A, B) and B matches r imply A matches r")
    void coversIsSound(RepetitionInfo repetition) {
        Random random = new Random(SEED + repetition.getCurrentRepetition());
        int cases = 0;
        int covering = 0;
        int coveringWithMatch = 0;
        for (int i = 0; i < 12_000; i++) {
            String b = randomPattern(random, 5);
            String a = random.nextBoolean() ? randomPattern(random, 5) : generalize(random, b);
            // half the resources come from B, so that B.matches(r) is not rare
            String r = random.nextBoolean() ? instantiate(random, b) : randomResource(random);
            ResourcePattern pa = ResourcePattern.of(a);
            ResourcePattern pb = ResourcePattern.of(b);
            boolean covers = pa.covers(pb);
            boolean bMatches = pb.matches(r);
            cases++;
            if (covers) {
                covering++;
                if (bMatches) {
                    coveringWithMatch++;
                    assertThat(pa.matches(r)).as("%s covers %s and %s matches %s", a, b, b, r).isTrue();
                }
            }
        }
        assertThat(cases).isGreaterThanOrEqualTo(10_000);
        assertThat(covering).isGreaterThanOrEqualTo(500);
        assertThat(coveringWithMatch).isGreaterThanOrEqualTo(500);
    }

    @Test
    @DisplayName("covers is reflexive")
    void coversIsReflexive() {
        Random random = new Random(SEED);
        for (int i = 0; i < 5_000; i++) {
            ResourcePattern pattern = ResourcePattern.of(randomPattern(random, 6));
            assertThat(pattern.covers(pattern)).as("%s covers itself", pattern).isTrue();
        }
    }

    @Test
    @DisplayName("covers is transitive")
    void coversIsTransitive() {
        Random random = new Random(SEED + 1);
        int chains = 0;
        for (int i = 0; i < 20_000; i++) {
            String c = randomPattern(random, 5);
            String b = random.nextInt(4) == 0 ? randomPattern(random, 5) : generalize(random, c);
            String a = random.nextInt(4) == 0 ? randomPattern(random, 5) : generalize(random, b);
            ResourcePattern pa = ResourcePattern.of(a);
            ResourcePattern pb = ResourcePattern.of(b);
            ResourcePattern pc = ResourcePattern.of(c);
            if (pa.covers(pb) && pb.covers(pc)) {
                chains++;
                assertThat(pa.covers(pc)).as("%s covers %s covers %s", a, b, c).isTrue();
            }
        }
        assertThat(chains).isGreaterThanOrEqualTo(1_000);
    }

    /**
     * Exhaustive agreement of covers with "every resource B matches, A matches" on a bounded
     * universe: all resources of 1 to 6 segments over {a, b, c} (1,092 of them) and all patterns
     * of 1 to 5 segments over {a, b, c, *} with an optional trailing ** (1,705 of them, so about
     * 2.9 million pairs).
     *
     * <p>Exact agreement (not only soundness) holds because patterns have at most 5 segments: an
     * open pattern then has at most 4 fixed segments and matches at least the lengths 5 and 6 in
     * the universe, so it always has a witness longer than any closed pattern (at most 5), and a
     * witness of its shortest length (at most 5) for a position where a literal differs. Every
     * other case needs a resource of at most 5 segments, and a * always has a letter (of three)
     * that differs from any one literal. With 6-segment patterns the bound would be too small:
     * a:b:c:a:b:** would look covered by a:b:c:a:b:* within the universe.
     */
    @Test
    @DisplayName("completeness: covers agrees exactly with set inclusion on a bounded universe")
    void coversAgreesWithInclusionOnBoundedUniverse() {
        List<String> resources = new ArrayList<>();
        for (int length = 1; length <= 6; length++) {
            enumerate(new String[] {"a", "b", "c"}, length, false, resources);
        }
        assertThat(resources).hasSize(3 + 9 + 27 + 81 + 243 + 729);
        List<String> patterns = new ArrayList<>();
        for (int length = 1; length <= 5; length++) {
            enumerate(new String[] {"a", "b", "c", "*"}, length, false, patterns);
            enumerate(new String[] {"a", "b", "c", "*"}, length, true, patterns);
        }
        assertThat(patterns).hasSize(1364 + 341);

        int words = (resources.size() + 63) / 64;
        ResourcePattern[] parsed = new ResourcePattern[patterns.size()];
        long[][] matched = new long[patterns.size()][words];
        for (int i = 0; i < patterns.size(); i++) {
            parsed[i] = ResourcePattern.of(patterns.get(i));
            for (int r = 0; r < resources.size(); r++) {
                if (parsed[i].matches(resources.get(r))) {
                    matched[i][r >>> 6] |= 1L << r;
                }
            }
        }
        int covering = 0;
        int disagreements = 0;
        String firstDisagreement = null;
        for (int a = 0; a < parsed.length; a++) {
            for (int b = 0; b < parsed.length; b++) {
                boolean included = true;
                for (int w = 0; w < words && included; w++) {
                    included = (matched[b][w] & ~matched[a][w]) == 0;
                }
                boolean covers = parsed[a].covers(parsed[b]);
                if (covers) {
                    covering++;
                }
                if (covers != included) {
                    disagreements++;
                    if (firstDisagreement == null) {
                        firstDisagreement = parsed[a] + " covers " + parsed[b] + " = " + covers
                                + ", inclusion on the universe = " + included;
                    }
                }
            }
        }
        assertThat(disagreements).as("first: %s", firstDisagreement).isZero();
        assertThat(covering).isGreaterThanOrEqualTo(10_000);
    }

    /** All patterns of exactly {@code length} segments, the last being ** when {@code open}. */
    private static void enumerate(String[] alphabet, int length, boolean open, List<String> out) {
        int free = open ? length - 1 : length;
        int total = (int) Math.pow(alphabet.length, free);
        for (int n = 0; n < total; n++) {
            StringBuilder text = new StringBuilder();
            int rest = n;
            for (int i = 0; i < free; i++) {
                if (i > 0) {
                    text.append(':');
                }
                text.append(alphabet[rest % alphabet.length]);
                rest /= alphabet.length;
            }
            if (open) {
                text.append(free > 0 ? ":**" : "**");
            }
            out.add(text.toString());
        }
    }
}
