package dev.filesink.partfile;

import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PartFileNamingTest {

    private final PartFileNaming naming =
            new PartFileNaming(OutputFileConfig.builder().withPartPrefix("events").withPartSuffix(".jsonl.gz").build());

    @Test
    void namesFilesPrefixUidCounterSuffix() {
        assertThat(naming.name("abc", 7)).isEqualTo("events-abc-7.jsonl.gz");
    }

    @Test
    void readsTheCounterBackOnlyForTheSameWriter() {
        assertThat(naming.counterOf("events-abc-7.jsonl.gz", "abc")).hasValue(7);
        assertThat(naming.counterOf("events-abc-7.jsonl.gz", "abd")).isEmpty();
        assertThat(naming.counterOf("events-abc-x7.jsonl.gz", "abc")).isEmpty();
        assertThat(naming.counterOf("events-abc-7.jsonl", "abc")).isEmpty();
        assertThat(naming.counterOf("events-abc-.jsonl.gz", "abc")).isEmpty();
        assertThat(naming.counterOf("other-abc-7.jsonl.gz", "abc")).isEmpty();
    }

    @Test
    void defaultConfigLooksLikeFlinks() {
        PartFileNaming defaults = new PartFileNaming(OutputFileConfig.builder().build());
        assertThat(defaults.name("u", 0)).isEqualTo("part-u-0");
    }
}
