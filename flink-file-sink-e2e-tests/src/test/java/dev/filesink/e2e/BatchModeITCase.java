package dev.filesink.e2e;

import dev.filesink.e2e.cluster.CliResult;
import dev.filesink.e2e.junit.FlinkClusterExtension;
import dev.filesink.e2e.junit.SharedClusters;
import dev.filesink.testing.FinishedFiles;
import dev.filesink.testing.TestRecords;

import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 3: BATCH mode on a cluster: when the job ends, every part file is finished, every record once. In text and
 * in Parquet (read back with Parquet's own reader), which also proves the fat jar's format libraries on a cluster.
 */
class BatchModeITCase {

    @RegisterExtension
    static final FlinkClusterExtension FLINK = SharedClusters.oneTaskManager();

    @Test
    void batchJobFinishesEveryPartFile() throws Exception {
        long records = 200_000;
        Path out = FLINK.newFolder("batch");
        CliResult run = FLINK.cluster().cli().runAttached(2, ExampleJobArgs.create()
                .destination(out.toUri()).mode("BATCH").records(records).rate(0).buckets(5)
                .set("max-part-size", "256kb").toList(), Duration.ofMinutes(3));

        assertThat(run.succeeded()).as("%s", run).isTrue();
        assertThat(run.output()).contains("in BATCH mode").contains("finished part files");
        FinishedFiles.assertExactlyOnce(out, records);
        assertThat(LocalFolder.visibleFiles(out)).hasSizeGreaterThan(10);
    }

    @Test
    void batchJobWritesParquetReadableByParquet() throws Exception {
        long records = 100_000;
        Path out = FLINK.newFolder("batch-parquet");
        CliResult run = FLINK.cluster().cli().runAttached(2, ExampleJobArgs.create()
                .destination(out.toUri()).mode("BATCH").records(records).rate(0).buckets(3)
                .set("format", "parquet").set("compression", "zstd").toList(), Duration.ofMinutes(3));

        assertThat(run.succeeded()).as("%s", run).isTrue();
        List<String> lines = new ArrayList<>();
        for (Path file : LocalFolder.visibleFiles(out)) {
            assertThat(file.getFileName().toString()).endsWith(".parquet");
            try (ParquetReader<GenericRecord> reader =
                    AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file))
                            .withDataModel(GenericData.get()) // generic records, not the job's class
                            .build()) {
                for (GenericRecord record = reader.read(); record != null; record = reader.read()) {
                    assertThat(record.get("id")).isEqualTo(TestRecords.idOf(record.get("line").toString()));
                    lines.add(record.get("line").toString());
                }
            }
        }
        FinishedFiles.assertRecordsExactlyOnce(lines, records);
        assertThat(LocalFolder.hiddenFiles(out)).as("in-progress files left").isEmpty();
    }
}
