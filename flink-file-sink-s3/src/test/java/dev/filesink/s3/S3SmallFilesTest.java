package dev.filesink.s3;

import dev.filesink.s3.testing.S3Server;
import dev.filesink.s3.testing.S3TestBucket;
import dev.filesink.storage.StorageSession;
import dev.filesink.testing.CreateFileOnceContract;

import org.apache.flink.core.fs.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Small objects written once with a conditional PUT, against a real S3 server (s3proxy in-process). */
class S3SmallFilesTest extends CreateFileOnceContract {

    private static final String BUCKET = "small-files";
    private static final AtomicInteger TESTS = new AtomicInteger();
    private static S3Server server;
    private static S3TestBucket files;

    @TempDir java.nio.file.Path spill;

    private String prefix;
    private StorageSession session;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3Server.startWithFaults();
        server.createBucket(BUCKET);
        files = new S3TestBucket(server, BUCKET);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void open() throws Exception {
        prefix = "test-" + TESTS.incrementAndGet();
        session = files.session(prefix, server.destination().spillDirectory(spill.toString()).build());
    }

    @AfterEach
    void close() throws Exception {
        session.close();
    }

    @Override
    protected StorageSession session() {
        return session;
    }

    @Override
    protected Path base() {
        return new Path("s3://" + BUCKET + "/" + prefix);
    }

    @Override
    protected List<String> namesBelowBase() {
        List<String> names = new ArrayList<>();
        for (String key : server.keys(BUCKET, prefix + "/")) {
            names.add(key.substring(prefix.length() + 1));
        }
        assertThat(server.openUploads(BUCKET, prefix + "/")).isEmpty();
        return names;
    }

    @Test
    void aPutWhoseAnswerWasLostIsThisCallsCreation() throws Exception {
        server.faults().losePutResponses(prefix + "/_SUCCESS", 1);
        int lostBefore = server.faults().lostResponses();

        // The SDK retries the PUT; the retry answers 412, and the object there carries this call's token.
        assertThat(session.createFileOnce(path("_SUCCESS"), "done".getBytes(StandardCharsets.UTF_8))).isTrue();

        assertThat(server.faults().lostResponses()).isEqualTo(lostBefore + 1);
        assertThat(server.read(BUCKET, prefix + "/_SUCCESS")).isEqualTo("done");
        assertThat(session.createFileOnce(path("_SUCCESS"), "done".getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    @Test
    void neverReplacesAnObjectSomebodyElseWrote() throws Exception {
        server.put(BUCKET, prefix + "/_SUCCESS", "somebody else's");

        assertThat(session.createFileOnce(path("_SUCCESS"), "ours".getBytes(StandardCharsets.UTF_8))).isFalse();

        assertThat(server.read(BUCKET, prefix + "/_SUCCESS")).isEqualTo("somebody else's");
    }

    @Test
    void withoutConditionalWritesItLooksFirst() throws Exception {
        try (StorageSession unconditional = files.session(prefix,
                server.destination().spillDirectory(spill.toString()).conditionalWrites(false).build())) {
            assertThat(unconditional.createFileOnce(path("_SUCCESS"), new byte[] {1})).isTrue();
            assertThat(unconditional.createFileOnce(path("_SUCCESS"), new byte[] {2})).isFalse();
            assertThat(unconditional.readFile(path("_SUCCESS"))).hasValueSatisfying(c -> assertThat(c).containsExactly(1));
        }
    }

    @Test
    void aMissingBucketIsAnErrorNamingIt() throws Exception {
        Path elsewhere = new Path("s3://no-such-bucket/x/_SUCCESS");

        assertThatThrownBy(() -> session.createFileOnce(elsewhere, new byte[] {1})).hasMessageContaining("no-such-bucket");
        assertThatThrownBy(() -> session.readFile(elsewhere)).hasMessageContaining("no-such-bucket");
    }
}
