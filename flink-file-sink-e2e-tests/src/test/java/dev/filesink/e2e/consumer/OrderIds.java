package dev.filesink.e2e.consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hive.ql.exec.vector.LongColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.VectorizedRowBatch;
import org.apache.orc.OrcFile;
import org.apache.orc.Reader;
import org.apache.orc.RecordReader;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Reads the order ids back from a finished file of the consumer job, with each format's own reader. */
final class OrderIds {

    /** The consumer job's outputs: folder (or key prefix) name of each format. */
    static final List<String> FORMATS = List.of("text", "json", "csv", "bytes", "parquet", "avro", "orc");

    private static final ObjectMapper JSON = new ObjectMapper();

    private OrderIds() {}

    static List<Long> read(String format, Path file) throws IOException {
        return switch (format) {
            case "text" -> lines(new GZIPInputStream(Files.newInputStream(file)), line -> line.split(" ")[0]);
            case "json" -> lines(Files.newInputStream(file), line -> JSON.readTree(line).get("id").asText());
            case "csv" -> lines(Files.newInputStream(file), line -> line.startsWith("id,") ? null : line.split(",")[0]);
            case "bytes" -> lines(Files.newInputStream(file), line -> line);
            case "parquet" -> parquet(file);
            case "avro" -> avro(file);
            case "orc" -> orc(file);
            default -> throw new IllegalArgumentException("Unknown format " + format);
        };
    }

    private interface IdOfLine {
        /** The id text of a line, or null for a header. */
        String id(String line) throws IOException;
    }

    private static List<Long> lines(InputStream in, IdOfLine idOfLine) throws IOException {
        List<Long> ids = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String id = idOfLine.id(line);
                if (id != null) {
                    ids.add(Long.parseLong(id));
                }
            }
        }
        return ids;
    }

    private static List<Long> parquet(Path file) throws IOException {
        List<Long> ids = new ArrayList<>();
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file))
                .withConf(new Configuration(false)).build()) {
            for (GenericRecord record = reader.read(); record != null; record = reader.read()) {
                ids.add((Long) record.get("id"));
            }
        }
        return ids;
    }

    private static List<Long> avro(Path file) throws IOException {
        List<Long> ids = new ArrayList<>();
        try (DataFileReader<GenericRecord> reader = new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
            while (reader.hasNext()) {
                ids.add((Long) reader.next().get("id"));
            }
        }
        return ids;
    }

    private static List<Long> orc(Path file) throws IOException {
        List<Long> ids = new ArrayList<>();
        Reader reader = OrcFile.createReader(new org.apache.hadoop.fs.Path(file.toUri()),
                OrcFile.readerOptions(new Configuration(false)));
        VectorizedRowBatch batch = reader.getSchema().createRowBatch();
        try (RecordReader rows = reader.rows()) {
            while (rows.nextBatch(batch)) {
                LongColumnVector column = (LongColumnVector) batch.cols[0];
                for (int row = 0; row < batch.size; row++) {
                    ids.add(column.vector[row]);
                }
            }
        }
        return ids;
    }
}
