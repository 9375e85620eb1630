package io.kavach.core.internal;

import io.kavach.spi.KavachStore;
import io.kavach.spi.StoreSession;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Runs units of work from many threads in shared transactions: group commit.
 *
 * <p>A caller queues its unit and then either waits or, when no batch is being committed, leads:
 * it takes every queued unit (up to {@value #MAX_BATCH}), runs them one after another in one
 * {@link KavachStore#write} transaction over a {@link CachingSession}, and wakes their callers once
 * it has committed. While one batch commits, the next one queues up, so the more callers, the
 * larger the batches and the fewer the transactions. A lone caller leads its own batch of one,
 * with no hand-off to another thread.
 *
 * <p>Each unit still sees the effects of the units before it, and the store still serializes
 * batches against every other write, in this and other processes: the outcome is the one of
 * running the units one at a time. When a unit throws, its batch is rolled back, its caller gets
 * the exception, and the other units run again without it. When the store itself fails (after
 * its own retries), every caller of the batch gets that failure. A caller returns only once its
 * unit has committed.
 *
 * <p>Thread-safe.
 */
final class GroupCommit {
    static final int MAX_BATCH = 512;
    /** How long a leader waits for the callers of its previous batch to queue again. */
    static final long GATHER_NANOS = 200_000;

    private final KavachStore store;
    private final DecisionCache cache = new DecisionCache();
    private final ReentrantLock leader = new ReentrantLock();
    private final ConcurrentLinkedQueue<Task<?>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    /** Read and written by the leader only. */
    private int lastBatchSize;

    GroupCommit(KavachStore store) {
        this.store = store;
    }

    /**
     * Runs {@code unit} in a shared transaction and returns its result once that has committed.
     * The unit may run more than once (see {@link KavachStore}), and must have no effects outside
     * its session.
     */
    <T> T run(Function<StoreSession, T> unit) {
        Task<T> task = new Task<>(unit, Thread.currentThread());
        queue.add(task);
        queued.incrementAndGet();
        boolean interrupted = false;
        while (!task.done) {
            if (leader.tryLock()) {
                try {
                    while (!task.done) {
                        commitBatch();
                    }
                } finally {
                    leader.unlock();
                }
                // Units queued while this batch committed: their callers are parked, so wake one to lead.
                Task<?> next = queue.peek();
                if (next != null) {
                    LockSupport.unpark(next.caller);
                }
            } else {
                LockSupport.park(this);
                // park returns at once while the flag is set: clear it here, set it again on return.
                interrupted |= Thread.interrupted();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return task.outcome();
    }

    private void commitBatch() {
        gather();
        List<Task<?>> batch = new ArrayList<>();
        for (Task<?> task; batch.size() < MAX_BATCH && (task = queue.poll()) != null; ) {
            queued.decrementAndGet();
            batch.add(task);
        }
        lastBatchSize = batch.size();
        List<Task<?>> pending = new ArrayList<>(batch);
        while (!pending.isEmpty()) {
            try {
                commit(pending);
                break;
            } catch (UnitFailure failure) {
                // That unit's caller gets its exception; the others, rolled back with it, run again.
                failure.task.fail(failure.getCause());
                pending.remove(failure.task);
            } catch (RuntimeException | Error e) {
                // The store's own failure, after its retries: every unit of the batch shares it.
                pending.forEach(task -> task.fail(e));
                break;
            }
        }
        batch.forEach(Task::wake);
    }

    /**
     * Gives the callers of the previous batch, just woken, a moment to queue their next units, so
     * that steady concurrent load commits in batches as large as it has callers rather than in one
     * large and one small batch by turns (PostgreSQL's {@code commit_delay} idea). A lone caller
     * never waits: its previous batch had one unit, which is queued.
     */
    private void gather() {
        if (queued.get() >= lastBatchSize) {
            return;
        }
        long deadline = System.nanoTime() + GATHER_NANOS;
        while (queued.get() < lastBatchSize && System.nanoTime() - deadline < 0) {
            Thread.yield();
        }
    }

    private void commit(List<Task<?>> batch) {
        try {
            store.write(session -> {
                CachingSession cached = cache.begin(session);
                for (Task<?> task : batch) {
                    try {
                        task.runIn(cached);
                    } catch (RuntimeException | Error e) {
                        throw new UnitFailure(task, e);
                    }
                }
                cached.flush();
                return null;
            });
        } catch (RuntimeException | Error e) {
            cache.failed();
            throw e;
        }
        cache.committed();
        batch.forEach(Task::succeed);
    }

    /** A unit's own exception, marked with its task, on its way out of the batch's transaction. */
    private static final class UnitFailure extends RuntimeException {
        final transient Task<?> task;

        UnitFailure(Task<?> task, Throwable cause) {
            super(cause.getMessage(), cause, false, false);
            this.task = task;
        }
    }

    /** One caller's unit, its result and its completion. */
    private static final class Task<T> {
        final Function<StoreSession, T> unit;
        final Thread caller;
        private T result;
        private Throwable failure;
        /** Written by the leader after the result; read by the caller, who then reads the result. */
        volatile boolean done;

        Task(Function<StoreSession, T> unit, Thread caller) {
            this.unit = unit;
            this.caller = caller;
        }

        void runIn(StoreSession session) {
            result = unit.apply(session);
        }

        void succeed() {
            done = true;
        }

        void fail(Throwable e) {
            result = null;
            failure = e;
            done = true;
        }

        void wake() {
            LockSupport.unpark(caller);
        }

        T outcome() {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            return result;
        }
    }
}
