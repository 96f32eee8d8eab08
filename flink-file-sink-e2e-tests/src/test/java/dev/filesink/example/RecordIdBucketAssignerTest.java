package dev.filesink.example;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordIdBucketAssignerTest {

    @Test
    void bucketIdsArePaddedToTheWidthOfTheLargest() {
        RecordIdBucketAssigner<String> assigner = new RecordIdBucketAssigner<>(1_000, ExampleRecords::idOf);

        assertThat(assigner.getBucketId(ExampleRecords.line(7), null)).isEqualTo("bucket-007");
        assertThat(assigner.getBucketId(ExampleRecords.line(12_345), null)).isEqualTo("bucket-345");
        assertThat(new RecordIdBucketAssigner<String>(10, ExampleRecords::idOf).getBucketId(ExampleRecords.line(19), null))
                .isEqualTo("bucket-9");
    }

    @Test
    void recordsCarryTheirId() {
        assertThat(ExampleRecords.idOf(ExampleRecords.line(42))).isEqualTo(42);
        assertThat(ExampleRecords.line(42)).hasSize(98).startsWith("record-0000000042-x");
        assertThatThrownBy(() -> ExampleRecords.idOf("hello")).hasMessage("Not an example record: 'hello'");
        assertThatThrownBy(() -> new RecordIdBucketAssigner<String>(0, ExampleRecords::idOf))
                .hasMessageContaining("buckets must be at least 1");
    }
}
