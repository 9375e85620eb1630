package io.kavach.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.kavach.audit.AuditVerification.Problem;
import io.kavach.model.AuditEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/** The chain check names the first entry that was altered, removed, inserted or reordered. */
class ChainVerifierTest {
    private static final int SIZE = 10;

    private final List<AuditEntry> chain = TestEntries.chain(SIZE);

    @Test
    void anIntactChainVerifiesAndReportsItsHead() {
        AuditVerification result = verify(AuditEntry.GENESIS, chain);
        assertThat(result.ok()).isTrue();
        assertThat(result.checked()).isEqualTo(SIZE);
        assertThat(result.firstBadId()).isNull();
        assertThat(result.problem()).isNull();
        assertThat(result.headHash()).isEqualTo(chain.get(SIZE - 1).hash());
        assertThat(result.message()).contains("10");
    }

    @Test
    void anEmptyChainVerifies() {
        AuditVerification result = verify(AuditEntry.GENESIS, List.of());
        assertThat(result.ok()).isTrue();
        assertThat(result.checked()).isZero();
        assertThat(result.headHash()).isNull();
    }

    @Test
    void anEditedEntryIsAlteredAtThatEntry() {
        for (int k = 0; k < SIZE; k++) {
            List<AuditEntry> tampered = new ArrayList<>(chain);
            tampered.set(k, TestEntries.withReason(chain.get(k), "nothing to see here"));
            expect(verify(AuditEntry.GENESIS, tampered), Problem.ALTERED, chain.get(k), k + 1);
        }
    }

    @Test
    void anEditedEntryWhoseHashWasRecomputedBreaksTheLinkOfTheNextAndTheTailShowsInTheHead() {
        List<AuditEntry> tampered = new ArrayList<>(chain);
        AuditEntry forged = TestEntries.link(TestEntries.withReason(chain.get(4), "rewritten"), chain.get(3).hash());
        tampered.set(4, forged);
        expect(verify(AuditEntry.GENESIS, tampered), Problem.BROKEN_LINK, chain.get(5), 6);

        List<AuditEntry> lastRewritten = new ArrayList<>(chain);
        lastRewritten.set(SIZE - 1, TestEntries.link(TestEntries.withReason(chain.get(SIZE - 1), "rewritten"),
                chain.get(SIZE - 2).hash()));
        AuditVerification tail = verify(AuditEntry.GENESIS, lastRewritten);
        assertThat(tail.ok()).isTrue();
        assertThat(tail.headHash()).as("a rewritten tail shows only against a head hash kept elsewhere")
                .isNotEqualTo(chain.get(SIZE - 1).hash());
    }

    @Test
    void aRemovedEntryBreaksTheLinkOfTheEntryAfterIt() {
        for (int k = 0; k < SIZE - 1; k++) {
            List<AuditEntry> tampered = new ArrayList<>(chain);
            tampered.remove(k);
            expect(verify(AuditEntry.GENESIS, tampered), Problem.BROKEN_LINK, chain.get(k + 1), k + 1);
        }
        List<AuditEntry> truncated = chain.subList(0, SIZE - 1);
        AuditVerification result = verify(AuditEntry.GENESIS, truncated);
        assertThat(result.ok()).isTrue();
        assertThat(result.headHash()).isNotEqualTo(chain.get(SIZE - 1).hash());
    }

    @Test
    void anInsertedEntryIsFoundAtTheForgery() {
        // A forgery with a made-up hash is altered.
        List<AuditEntry> madeUp = new ArrayList<>(chain);
        AuditEntry fake = TestEntries.full(99).chained(chain.get(3).hash(), "f".repeat(64));
        madeUp.add(4, fake);
        expect(verify(AuditEntry.GENESIS, madeUp), Problem.ALTERED, fake, 5);

        // A forgery with a correct hash, linked to its predecessor, breaks the link of the entry after it.
        List<AuditEntry> wellMade = new ArrayList<>(chain);
        AuditEntry forged = TestEntries.link(TestEntries.full(99), chain.get(3).hash());
        wellMade.add(4, forged);
        expect(verify(AuditEntry.GENESIS, wellMade), Problem.BROKEN_LINK, chain.get(4), 6);

        // A correct forgery that names the wrong predecessor breaks its own link.
        List<AuditEntry> misplaced = new ArrayList<>(chain);
        AuditEntry stray = TestEntries.link(TestEntries.full(98), chain.get(7).hash());
        misplaced.add(2, stray);
        expect(verify(AuditEntry.GENESIS, misplaced), Problem.BROKEN_LINK, stray, 3);

        // Inserted before the first entry.
        List<AuditEntry> first = new ArrayList<>(chain);
        AuditEntry before = TestEntries.link(TestEntries.full(97), AuditEntry.GENESIS);
        first.add(0, before);
        expect(verify(AuditEntry.GENESIS, first), Problem.BROKEN_LINK, chain.get(0), 2);
    }

    @Test
    void swappedEntriesAreFoundAtTheFirstOfThem() {
        for (int k = 0; k < SIZE - 1; k++) {
            List<AuditEntry> swapped = new ArrayList<>(chain);
            swapped.set(k, chain.get(k + 1));
            swapped.set(k + 1, chain.get(k));
            expect(verify(AuditEntry.GENESIS, swapped), Problem.BROKEN_LINK, chain.get(k + 1), k + 1);
        }
        List<AuditEntry> farApart = new ArrayList<>(chain);
        farApart.set(2, chain.get(8));
        farApart.set(8, chain.get(2));
        expect(verify(AuditEntry.GENESIS, farApart), Problem.BROKEN_LINK, chain.get(8), 3);
    }

    @Test
    void aNullExpectedFirstAcceptsAChainThatStartsMidwayAndACheckpointMustMatch() {
        List<AuditEntry> tail = chain.subList(4, SIZE);
        assertThat(verify(null, tail).ok()).isTrue();
        assertThat(verify(null, tail).checked()).isEqualTo(SIZE - 4);
        assertThat(verify(chain.get(3).hash(), tail).ok()).as("from a cleanup's checkpoint").isTrue();
        expect(verify(AuditEntry.GENESIS, tail), Problem.BROKEN_LINK, chain.get(4), 1);
        expect(verify(chain.get(2).hash(), tail), Problem.BROKEN_LINK, chain.get(4), 1);
        // Still checks every link after the first.
        List<AuditEntry> gap = new ArrayList<>(tail);
        gap.remove(2);
        expect(verify(null, gap), Problem.BROKEN_LINK, chain.get(7), 3);
        // And every hash, the first one's included.
        List<AuditEntry> altered = new ArrayList<>(tail);
        altered.set(0, TestEntries.withReason(tail.get(0), "x"));
        expect(verify(null, altered), Problem.ALTERED, chain.get(4), 1);
    }

    @Test
    void onlyTheFirstProblemIsReported() {
        List<AuditEntry> tampered = new ArrayList<>(chain);
        tampered.set(6, TestEntries.withReason(chain.get(6), "second"));
        tampered.remove(2);
        AuditVerification result = verify(AuditEntry.GENESIS, tampered);
        expect(result, Problem.BROKEN_LINK, chain.get(3), 3);
        assertThat(result.message()).contains(chain.get(3).id());
    }

    /** Property: any single tampering of a random kind at a random place is found at the right entry. */
    @RepeatedTest(40)
    void randomTamperingIsFoundAtTheRightEntry(RepetitionInfo repetition) {
        Random random = new Random(1_000L + repetition.getCurrentRepetition());
        List<AuditEntry> entries = TestEntries.chain(5 + random.nextInt(30));
        int n = entries.size();
        List<AuditEntry> tampered = new ArrayList<>(entries);
        int k = random.nextInt(n - 1);
        switch (random.nextInt(4)) {
            case 0 -> {
                tampered.set(k, TestEntries.withReason(entries.get(k), "edited"));
                expect(verify(AuditEntry.GENESIS, tampered), Problem.ALTERED, entries.get(k), k + 1);
            }
            case 1 -> {
                tampered.remove(k);
                expect(verify(AuditEntry.GENESIS, tampered), Problem.BROKEN_LINK, entries.get(k + 1), k + 1);
            }
            case 2 -> {
                AuditEntry fake = TestEntries.full(1000 + k).chained(k == 0 ? AuditEntry.GENESIS : entries.get(k - 1).hash(),
                        Integer.toHexString(random.nextInt()));
                tampered.add(k, fake);
                expect(verify(AuditEntry.GENESIS, tampered), Problem.ALTERED, fake, k + 1);
            }
            default -> {
                int j = k + 1 + random.nextInt(n - k - 1);
                tampered.set(k, entries.get(j));
                tampered.set(j, entries.get(k));
                expect(verify(AuditEntry.GENESIS, tampered), Problem.BROKEN_LINK, entries.get(j), k + 1);
            }
        }
    }

    private static AuditVerification verify(String expectedFirst, List<AuditEntry> entries) {
        ChainVerifier verifier = new ChainVerifier(expectedFirst);
        entries.forEach(verifier);
        return verifier.result();
    }

    private static void expect(AuditVerification result, Problem problem, AuditEntry at, long checked) {
        assertThat(result.ok()).as(result.message()).isFalse();
        assertThat(result.problem()).as(result.message()).isEqualTo(problem);
        assertThat(result.firstBadId()).as(result.message()).isEqualTo(at.id());
        assertThat(result.checked()).isEqualTo(checked);
        assertThat(result.message()).contains(at.id());
    }
}
