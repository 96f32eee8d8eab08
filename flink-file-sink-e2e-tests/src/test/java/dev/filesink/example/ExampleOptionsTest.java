package dev.filesink.example;

import org.apache.flink.api.common.RuntimeExecutionMode;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExampleOptionsTest {

    @Test
    void noArgumentsIsABoundedStreamingRunIntoExampleOutput() {
        ExampleOptions options = ExampleOptions.parse();

        assertThat(options.destination()).isEqualTo("example-output");
        assertThat(options.mode()).isEqualTo(RuntimeExecutionMode.STREAMING);
        assertThat(options.records()).isEqualTo(60_000);
        assertThat(options.rate()).isEqualTo(3_000);
        assertThat(options.checkpointInterval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(options.parallelism()).isNull();
        assertThat(options.format()).isEqualTo("text");
        assertThat(options.connectorOptions()).isEmpty();
    }

    @Test
    void readsEveryKindOfValue() {
        ExampleOptions options = ExampleOptions.parse("--mode", "batch", "--records", "1_000", "--rate=0",
                "--checkpoint-interval", "500ms", "--rollover-interval", "2min", "--max-part-size", "2mb",
                "--write-buffer-size", "4kb", "--parallelism", "3", "--roll-on-checkpoint", "TRUE",
                "--filesink.s3.endpoint", "http://127.0.0.1:9000");

        assertThat(options.mode()).isEqualTo(RuntimeExecutionMode.BATCH);
        assertThat(options.records()).isEqualTo(1_000);
        assertThat(options.bounded()).isTrue();
        assertThat(options.rate()).isZero();
        assertThat(options.checkpointInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(options.rolloverInterval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(options.maxPartSize()).isEqualTo(2L * 1024 * 1024);
        assertThat(options.writeBufferSize()).isEqualTo(4 * 1024);
        assertThat(options.parallelism()).isEqualTo(3);
        assertThat(options.rollOnCheckpoint()).isTrue();
        assertThat(options.connectorOptions()).isEqualTo(Map.of("filesink.s3.endpoint", "http://127.0.0.1:9000"));
    }

    @Test
    void badValuesAreNamedWithTheOption() {
        assertThatThrownBy(() -> ExampleOptions.parse("--records", "-1"))
                .hasMessage("Option --records: '-1' is not a whole number >= 0.");
        assertThatThrownBy(() -> ExampleOptions.parse("--checkpoint-interval", "soon"))
                .hasMessageContaining("Option --checkpoint-interval: 'soon' is not a positive duration");
        assertThatThrownBy(() -> ExampleOptions.parse("--max-part-size", "0kb"))
                .hasMessageContaining("Option --max-part-size: '0kb' is not a positive size");
        assertThatThrownBy(() -> ExampleOptions.parse("--mode", "AUTOMATIC"))
                .hasMessage("Option --mode: 'AUTOMATIC' is not STREAMING or BATCH.");
        assertThatThrownBy(() -> ExampleOptions.parse("--parallelism", "0"))
                .hasMessageContaining("Option --parallelism: '0' is not a whole number >= 1");
        assertThatThrownBy(() -> ExampleOptions.parse("--roll-on-checkpoint", "yes"))
                .hasMessage("Option --roll-on-checkpoint: 'yes' is not true or false.");
    }

    @Test
    void unknownMissingAndRepeatedOptionsAreRejected() {
        assertThatThrownBy(() -> ExampleOptions.parse("--recrods", "5")).hasMessageStartingWith("Unknown option --recrods.");
        assertThatThrownBy(() -> ExampleOptions.parse("--records")).hasMessageStartingWith("Option --records needs a value.");
        assertThatThrownBy(() -> ExampleOptions.parse("--rate", "1", "--rate", "2")).hasMessage("Option --rate is given twice.");
        assertThatThrownBy(() -> ExampleOptions.parse("records", "5")).hasMessageStartingWith("Unexpected argument 'records'");
    }
}
