package io.kavach.core.internal;

import io.kavach.spi.KavachStore;
import io.kavach.spi.StoreSession;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * running the units one at a time. When a unit throws, its batch is rolled back and each of its
 * units is run again alone, so only the failing unit's caller sees the exception. A caller returns
 * only once its unit has committed.
 *
 * <p>Thread-safe.
 */
final class GroupCommit {
    static final int MAX_BATCH = 512;

    private final KavachStore store;
    private final DecisionCache cache = new DecisionCache();
    private final ReentrantLock leader = new ReentrantLock();
    private final ConcurrentLinkedQueue<Task<?>> queue = new ConcurrentLinkedQueue<>();

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
        List<Task<?>> batch = new ArrayList<>();
        for (Task<?> task; batch.size() < MAX_BATCH && (task = queue.poll()) != null; ) {
            batch.add(task);
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            commit(batch);
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                batch.get(0).fail(e);
            } else {
                // Which unit failed is not known (a commit can fail too): each one alone.
                for (Task<?> task : batch) {
                    try {
                        commit(List.of(task));
                    } catch (RuntimeException alone) {
                        task.fail(alone);
                    }
                }
            }
        } catch (Error e) {
            batch.forEach(task -> task.fail(e));
        }
        batch.forEach(Task::wake);
    }

    private void commit(List<Task<?>> batch) {
        try {
            store.write(session -> {
                CachingSession cached = cache.begin(session);
                for (Task<?> task : batch) {
                    task.runIn(cached);
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
