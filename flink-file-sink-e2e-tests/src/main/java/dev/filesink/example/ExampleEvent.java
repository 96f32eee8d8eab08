package dev.filesink.example;

/**
 * The example's record for structured formats (JSON lines, CSV, Avro, Parquet): the sequence number and the same
 * line the text format writes. A Flink POJO, and readable by Jackson and Avro reflection.
 */
public class ExampleEvent {

    public long id;
    public String line;

    public ExampleEvent() {}

    public ExampleEvent(long id, String line) {
        this.id = id;
        this.line = line;
    }

    public static ExampleEvent of(String line) {
        return new ExampleEvent(ExampleRecords.idOf(line), line);
    }
}
