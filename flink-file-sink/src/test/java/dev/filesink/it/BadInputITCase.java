package dev.filesink.it;

import dev.filesink.FileSink;
import dev.filesink.rollingpolicies.OnCheckpointRollingPolicy;
import dev.filesink.testing.FinishedFiles;
import dev.filesink.testing.Jobs;
import dev.filesink.testing.TestRecords;

import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ExceptionUtils;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad input fails with an error that names what was wrong, and loses nothing already committed. */
class BadInputITCase {

    @TempDir java.nio.file.Path dir;

    @Test
    void anEncoderThatThrowsFailsTheJobNamingBucketAndPartFile() throws Exception {
        java.nio.file.Path out = dir.resolve("out");
        StreamExecutionEnvironment env = Jobs.streaming(1, 100, noRestarts());
        Jobs.records(env, 10_000, 4_000)
                .sinkTo(FileSink.forRowFormat(new Path(out.toUri()), new FailingEncoder(6_000))
                        .withBucketAssigner(new ModuloBucketAssigner(2))
                        .withRollingPolicy(OnCheckpointRollingPolicy.build())
                        .build());

        assertThatThrownBy(() -> env.execute("encoder fails on record 6000"))
                .satisfies(e -> {
                    String messages = ExceptionUtils.stringifyException(e);
                    assertThat(messages).contains("bucket 'bucket-0'").contains("part file '").contains("/bucket-0/part-")
                            .contains("cannot encode record 6000");
                });

        // What earlier checkpoints committed stays, whole and unique; the rest is invisible.
        List<String> lines = FinishedFiles.lines(out);
        assertThat(lines).isNotEmpty();
        Set<Long> ids = new HashSet<>();
        for (String line : lines) {
            assertThat(line).isEqualTo(TestRecords.record(TestRecords.idOf(line)));
            assertThat(ids.add(TestRecords.idOf(line))).as("unique").isTrue();
        }
        assertThat(ids).doesNotContain(6_000L);
    }

    @Test
    void aBasePathThatCannotBeWrittenFailsAtJobStartNamingThePath() throws Exception {
        Files.writeString(dir.resolve("a-file"), "not a directory");
        Path unwritable = new Path(dir.resolve("a-file").resolve("out").toUri());
        StreamExecutionEnvironment env = Jobs.streaming(1, 1_000, noRestarts());
        Jobs.records(env, 10, 0).sinkTo(FileSink.forRowFormat(unwritable, new FailingEncoder(-1)).build());

        assertThatThrownBy(() -> env.execute("unwritable base path"))
                .satisfies(e -> assertThat(ExceptionUtils.stringifyException(e))
                        .contains("The sink's base path '" + unwritable + "' is not writable"));
    }

    private static Configuration noRestarts() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        return conf;
    }

    /** Writes lines, and throws on one record id. */
    static final class FailingEncoder implements Encoder<String> {
        private static final long serialVersionUID = 1L;
        private final long failOn;

        FailingEncoder(long failOn) {
            this.failOn = failOn;
        }

        @Override
        public void encode(String element, OutputStream stream) throws IOException {
            if (TestRecords.idOf(element) == failOn) {
                throw new IOException("cannot encode record " + failOn);
            }
            stream.write(element.getBytes(StandardCharsets.UTF_8));
            stream.write('\n');
        }
    }
}
