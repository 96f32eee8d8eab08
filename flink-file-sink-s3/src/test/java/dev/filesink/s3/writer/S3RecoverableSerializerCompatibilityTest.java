package dev.filesink.s3.writer;

import dev.filesink.testing.GoldenFiles;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * S3 recoverables in checkpoints written by every version of the serializer keep restoring: version 1 files were
 * written by release 0.1's serializer, version 2 files before compaction on S3, version 3 files by today's (see
 * {@link GoldenFiles}).
 */
class S3RecoverableSerializerCompatibilityTest {

    private static final Path RESOURCES = Path.of("src/test/resources/serialized");

    private final S3RecoverableSerializer<S3Recoverable> serializer = new S3RecoverableSerializer<>();

    @Test
    void version1StateRestoresAsStateFromAPersist() throws Exception {
        S3Recoverable staged = serializer.deserialize(1,
                GoldenFiles.readFromOlderRelease(RESOURCES, "s3-recoverable-staged-v1.bin"));
        assertStaged(staged);
        assertThat(staged.fromPersist()).as("version 1 state is read as if it came from a persist").isTrue();

        S3Recoverable inline = serializer.deserialize(1,
                GoldenFiles.readFromOlderRelease(RESOURCES, "s3-recoverable-inline-v1.bin"));
        assertInline(inline);
        assertThat(inline.fromPersist()).isTrue();
    }

    @Test
    void version2StateRestoresAsFilesAtTheirFinalKeys() throws Exception {
        S3Recoverable staged = serializer.deserialize(2,
                GoldenFiles.readFromOlderRelease(RESOURCES, "s3-recoverable-staged-v2.bin"));
        assertStaged(staged);
        assertThat(staged.fromPersist()).isTrue();
        assertThat(staged.isHidden()).isFalse();

        S3Recoverable inline = serializer.deserialize(2,
                GoldenFiles.readFromOlderRelease(RESOURCES, "s3-recoverable-inline-v2.bin"));
        assertInline(inline);
        assertThat(inline.fromPersist()).as("closed for commit, not persisted").isFalse();
        assertThat(inline.isHidden()).isFalse();
    }

    @Test
    void version3StateRestores() throws Exception {
        byte[] stagedBytes = GoldenFiles.read(RESOURCES, "s3-recoverable-staged-v3.bin",
                () -> serializer.serialize(stagedFixture()));
        S3Recoverable staged = serializer.deserialize(3, stagedBytes);
        assertStaged(staged);
        assertThat(staged.isHidden()).isFalse();
        assertThat(serializer.serialize(staged)).isEqualTo(stagedBytes);

        byte[] hiddenBytes = GoldenFiles.read(RESOURCES, "s3-recoverable-hidden-v3.bin",
                () -> serializer.serialize(hiddenFixture()));
        S3Recoverable hidden = serializer.deserialize(3, hiddenBytes);
        assertThat(hidden).isEqualTo(hiddenFixture());
        assertThat(hidden.key()).isEqualTo("out/2026-11-24--10/.part-u-42.inprogress.token-42");
        assertThat(hidden.targetKey()).isEqualTo("out/2026-11-24--10/part-u-42");
        assertThat(serializer.serialize(hidden)).isEqualTo(hiddenBytes);
    }

    private static void assertStaged(S3Recoverable r) {
        assertThat(r.bucket()).isEqualTo("golden-bucket");
        assertThat(r.key()).isEqualTo("out/2026-11-24--10/part-u-41");
        assertThat(r.uploadId()).isEqualTo("upload-1");
        assertThat(r.token()).isEqualTo("token-41");
        assertThat(r.parts()).containsExactly(
                new UploadedPart(1, "\"etag-1\"", 5_242_880L), new UploadedPart(2, "\"etag-2\"", 5_242_880L));
        assertThat(r.inlineTail()).isNull();
        assertThat(r.stagingKey()).isEqualTo("out/_filesink-staging/2026-11-24--10/part-u-41.token-41.3.tail");
        assertThat(r.tailLength()).isEqualTo(1_000L);
        assertThat(r.length()).isEqualTo(10_486_760L);
    }

    private static void assertInline(S3Recoverable r) {
        assertThat(r.key()).isEqualTo("out/2026-11-24--10/part-u-40");
        assertThat(r.uploadId()).isNull();
        assertThat(r.parts()).isEmpty();
        assertThat(new String(r.inlineTail(), StandardCharsets.UTF_8)).isEqualTo("hello\n");
        assertThat(r.stagingKey()).isNull();
        assertThat(r.length()).isEqualTo(6L);
    }

    private static S3Recoverable stagedFixture() {
        return new S3Recoverable("golden-bucket", "out/2026-11-24--10/part-u-41", "upload-1", "token-41",
                List.of(new UploadedPart(1, "\"etag-1\"", 5_242_880L), new UploadedPart(2, "\"etag-2\"", 5_242_880L)),
                null, "out/_filesink-staging/2026-11-24--10/part-u-41.token-41.3.tail", 1_000L, 10_486_760L, true);
    }

    /** A compacting sink's file: written under its hidden name, committed to its final key. */
    private static S3Recoverable hiddenFixture() {
        return new S3Recoverable("golden-bucket", "out/2026-11-24--10/.part-u-42.inprogress.token-42", "upload-2",
                "token-42", List.of(new UploadedPart(1, "\"etag-3\"", 5_242_880L)), null, null, 0L, 5_242_880L, false,
                "out/2026-11-24--10/part-u-42");
    }
}
