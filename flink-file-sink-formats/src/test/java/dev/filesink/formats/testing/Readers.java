package dev.filesink.formats.testing;

import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hive.ql.exec.vector.BytesColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.DoubleColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.LongColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.VectorizedRowBatch;
import org.apache.orc.OrcFile;
import org.apache.orc.Reader;
import org.apache.orc.RecordReader;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads finished files back with each format's own reader. */
public final class Readers {

    private Readers() {}

    public static List<GenericRecord> parquet(Path file) {
        List<GenericRecord> records = new ArrayList<>();
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file))
                .withDataModel(org.apache.avro.generic.GenericData.get())
                .withConf(new Configuration(false))
                .build()) {
            for (GenericRecord record = reader.read(); record != null; record = reader.read()) {
                records.add(record);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read Parquet file " + file, e);
        }
        return records;
    }

    public static List<GenericRecord> avro(Path file) {
        List<GenericRecord> records = new ArrayList<>();
        try (DataFileReader<GenericRecord> reader = new DataFileReader<>(file.toFile(), new GenericDatumReader<>(null, null, org.apache.avro.generic.GenericData.get()))) {
            while (reader.hasNext()) {
                records.add(reader.next());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read Avro file " + file, e);
        }
        return records;
    }

    /** The Avro codec a container file says it uses. */
    public static String avroCodec(Path file) {
        try (DataFileReader<GenericRecord> reader = new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
            return reader.getMetaString("avro.codec");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Orders from an ORC file of schema {@code struct<id,name,amount,note>}. */
    public static List<Order> orc(Path file) {
        List<Order> orders = new ArrayList<>();
        try {
            Reader reader = OrcFile.createReader(new org.apache.hadoop.fs.Path(file.toUri()),
                    OrcFile.readerOptions(new Configuration()));
            VectorizedRowBatch batch = reader.getSchema().createRowBatch();
            try (RecordReader rows = reader.rows()) {
                while (rows.nextBatch(batch)) {
                    LongColumnVector ids = (LongColumnVector) batch.cols[0];
                    BytesColumnVector names = (BytesColumnVector) batch.cols[1];
                    DoubleColumnVector amounts = (DoubleColumnVector) batch.cols[2];
                    BytesColumnVector notes = (BytesColumnVector) batch.cols[3];
                    for (int r = 0; r < batch.size; r++) {
                        boolean noteNull = !notes.noNulls && notes.isNull[r];
                        orders.add(new Order(ids.vector[r], names.toString(r), amounts.vector[r],
                                noteNull ? null : notes.toString(r)));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read ORC file " + file, e);
        }
        return orders;
    }

    public static String orcCompression(Path file) {
        try {
            return OrcFile.createReader(new org.apache.hadoop.fs.Path(file.toUri()),
                    OrcFile.readerOptions(new Configuration())).getCompressionKind().name();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
