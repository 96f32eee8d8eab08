package dev.filesink.testing;

import dev.filesink.storage.StorageSession;

import org.apache.flink.core.fs.Path;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every storage's {@link StorageSession#createFileOnce} and {@link StorageSession#readFile} must do, run by each
 * storage's test against the real store: created once, never replaced, readable, and nothing else left below the base
 * path (no temporary file, no staged data).
 */
public abstract class CreateFileOnceContract {

    /** The session under test; its base path is {@link #base()}. */
    protected abstract StorageSession session() throws Exception;

    /** A base path of its own for each test. */
    protected abstract Path base();

    /** The names of every file or object below {@link #base()}, relative to it, hidden ones included, sorted. */
    protected abstract List<String> namesBelowBase() throws Exception;

    /** How many two-caller races {@link #concurrentCreatesHaveExactlyOneWinner()} runs. */
    protected int races() {
        return 8;
    }

    protected Path path(String relative) {
        return new Path(base(), relative);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void createsOnceAndNeverReplaces() throws Exception {
        StorageSession session = session();
        Path success = path("dt=2026-12-04/_SUCCESS");

        assertThat(session.createFileOnce(success, bytes("first"))).isTrue();
        assertThat(session.createFileOnce(success, bytes("second, longer"))).isFalse();

        assertThat(session.readFile(success)).hasValueSatisfying(c -> assertThat(c).isEqualTo(bytes("first")));
        assertThat(namesBelowBase()).containsExactly("dt=2026-12-04/_SUCCESS");
    }

    @Test
    void anIdenticalSecondCreateIsStillNotThisCallsCreation() throws Exception {
        StorageSession session = session();
        Path manifest = path("_manifests/checkpoint-7.json");

        assertThat(session.createFileOnce(manifest, bytes("{}"))).isTrue();
        assertThat(session.createFileOnce(manifest, bytes("{}"))).isFalse();
        assertThat(namesBelowBase()).containsExactly("_manifests/checkpoint-7.json");
    }

    @Test
    void createsItsParentDirectoriesAndEmptyFiles() throws Exception {
        StorageSession session = session();
        Path nested = path("a/b/c/_SUCCESS");

        assertThat(session.createFileOnce(nested, new byte[0])).isTrue();

        assertThat(session.readFile(nested)).hasValueSatisfying(c -> assertThat(c).isEmpty());
        assertThat(namesBelowBase()).containsExactly("a/b/c/_SUCCESS");
    }

    @Test
    void readsAnAbsentFileAsEmpty() throws Exception {
        StorageSession session = session();

        assertThat(session.readFile(path("nothing/_SUCCESS"))).isEqualTo(Optional.empty());
        assertThat(session.readFile(path("_SUCCESS"))).isEqualTo(Optional.empty());
    }

    @Test
    void concurrentCreatesHaveExactlyOneWinner() throws Exception {
        StorageSession session = session();
        int rounds = races();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < rounds; round++) {
                Path target = path("race/" + round + "/_SUCCESS");
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int caller = 0; caller < 2; caller++) {
                    byte[] content = bytes("caller " + caller);
                    Callable<Boolean> create = () -> {
                        start.await(10, TimeUnit.SECONDS);
                        return session.createFileOnce(target, content);
                    };
                    results.add(threads.submit(create));
                }
                boolean first = results.get(0).get(30, TimeUnit.SECONDS);
                boolean second = results.get(1).get(30, TimeUnit.SECONDS);
                assertThat(first ^ second).as("exactly one of two concurrent creates wins, round " + round).isTrue();
                assertThat(session.readFile(target))
                        .hasValueSatisfying(c -> assertThat(c).isEqualTo(bytes("caller " + (first ? 0 : 1))));
            }
        } finally {
            threads.shutdownNow();
        }
        List<String> expected = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            expected.add("race/" + round + "/_SUCCESS");
        }
        assertThat(namesBelowBase()).containsExactlyInAnyOrderElementsOf(expected);
    }
}
