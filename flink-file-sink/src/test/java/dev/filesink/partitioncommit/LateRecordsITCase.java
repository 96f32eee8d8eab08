package dev.filesink.partitioncommit;

import dev.filesink.FileSink;
import dev.filesink.limits.MetricsProbe;
import dev.filesink.testing.FinishedFiles;
import dev.filesink.testing.Jobs;
import dev.filesink.testing.TestRecords;
import dev.filesink.testing.partitioncommit.EventTimeRecords;
import dev.filesink.testing.partitioncommit.OutputView;
import dev.filesink.testing.partitioncommit.PartitionCommitContract;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A record that arrives after its partition was announced: written and announced again, or dropped. One job, two
 * sinks: record 30 belongs to hour 00, whose end (plus the delay) the watermark passed at record 10.
 */
class LateRecordsITCase {

    private static final long LATE_ID = 30;
    private static final long COUNT = 50;
    private static final MetricsProbe METRICS = new MetricsProbe();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(METRICS.configure(Jobs.restarting()))
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @TempDir java.nio.file.Path again;
    @TempDir java.nio.file.Path drop;

    @Test
    void lateRecordsAreWrittenAndAnnouncedAgainOrDropped() throws Exception {
        StreamExecutionEnvironment env = Jobs.streaming(1, 100);
        DataStream<String> records = env.fromSource(
                new DataGeneratorSource<>(TestRecords::record, COUNT, RateLimiterStrategy.perSecond(20), Types.STRING),
                WatermarkStrategy.<String>forMonotonousTimestamps()
                        .withTimestampAssigner((record, previous) -> timestampOf(TestRecords.idOf(record))),
                "late-records");
        // Named apart: operators of one name would share metric identifiers.
        records.sinkTo(sink(again, LateRecordHandling.WRITE_AND_ANNOUNCE_AGAIN)).name("again");
        records.sinkTo(sink(drop, LateRecordHandling.DROP)).name("drop");

        JobID job = env.execute("late records").getJobID();

        String hour0 = "dt=2026-12-04/hour=00";
        OutputView announcedAgain = OutputView.local(again);
        List<String> first = PartitionCommitContract.listedFiles(announcedAgain, hour0 + "/_SUCCESS");
        List<String> second = PartitionCommitContract.listedFiles(announcedAgain, hour0 + "/_SUCCESS.2");
        assertThat(second).as("only the late file").hasSize(1).doesNotContainAnyElementsOf(first);
        JsonNode secondSummary = PartitionCommitContract.parse(announcedAgain, hour0 + "/_SUCCESS.2");
        assertThat(secondSummary.get("announcement").asInt()).isEqualTo(2);
        assertThat(secondSummary.get("total").get("fileCount").asInt()).isEqualTo(first.size() + 1);
        assertThat(secondSummary.get("total").get("records").asInt()).isEqualTo(11); // ids 0..9 and the late 30
        assertThat(again.resolve(hour0 + "/_SUCCESS.3")).doesNotExist();
        FinishedFiles.assertRecordsExactlyOnce(FinishedFiles.lines(again), COUNT);

        assertThat(drop.resolve(hour0 + "/_SUCCESS")).exists();
        assertThat(drop.resolve(hour0 + "/_SUCCESS.2")).doesNotExist();
        List<Long> kept = FinishedFiles.lines(drop).stream().map(TestRecords::idOf).sorted().toList();
        assertThat(kept).isEqualTo(LongStream.range(0, COUNT).filter(id -> id != LATE_ID).boxed().toList());
        assertThat(Files.exists(drop.resolve("dt=2026-12-04/hour=02/_SUCCESS"))).isTrue();

        // Both sinks' metrics summed (the job has no failures: every counter counts once).
        assertThat(METRICS.count(job, "fileSink.lateRecordsWritten")).as("lateRecordsWritten").isEqualTo(1);
        assertThat(METRICS.count(job, "fileSink.lateRecordsDropped")).as("lateRecordsDropped").isEqualTo(1);
        assertThat(METRICS.count(job, "fileSink.partitionsCommitted")).as("partitionsCommitted")
                .isEqualTo(firstSuccessFiles(again) + firstSuccessFiles(drop))
                .isEqualTo(4); // hours 00 and 02 of each sink
        assertThat(METRICS.count(job, "fileSink.announcementsRepeated")).as("announcementsRepeated").isEqualTo(1);
    }

    private static long firstSuccessFiles(java.nio.file.Path root) throws IOException {
        try (Stream<java.nio.file.Path> files = Files.walk(root)) {
            return files.filter(file -> file.getFileName().toString().equals("_SUCCESS")).count();
        }
    }

    /** Hour 00: ids 0..9; hour 02: ids 10..29; id 30 late in hour 00; hour 03 (past 03:01): the rest. */
    private static long timestampOf(long id) {
        long base = EventTimeRecords.BASE.toEpochMilli();
        if (id < 10 || id == LATE_ID) {
            return base + id * 60_000;
        }
        if (id < LATE_ID) {
            return base + Duration.ofHours(2).toMillis() + id * 60_000;
        }
        return base + Duration.ofHours(3).plusMinutes(2).toMillis() + id * 1_000;
    }

    private static FileSink<String> sink(java.nio.file.Path out, LateRecordHandling late) {
        return FileSink.forRowFormat(new Path(out.toUri()), new SimpleStringEncoder<String>())
                .withBucketAssigner(new EventTimeRecords.HourAssigner())
                .withPartitionCommit(PartitionCommitContract.eventTimeSettings()
                        .successFileWithJson()
                        .lateRecords(late)
                        .build())
                .build();
    }
}
