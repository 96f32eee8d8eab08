package dev.filesink.formats.orc;

import dev.filesink.formats.bulk.FormatBulkWriter;
import dev.filesink.formats.bulk.FormatWriterFactory;
import dev.filesink.formats.records.BadRecordException;
import dev.filesink.partfile.PartFileContext;

import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.orc.writer.PhysicalWriterImpl;
import org.apache.flink.table.data.RowData;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hive.ql.exec.vector.VectorizedRowBatch;
import org.apache.orc.OrcFile;
import org.apache.orc.Writer;
import org.apache.orc.impl.MemoryManagerImpl;
import org.apache.orc.impl.WriterImpl;

import java.io.IOException;
import java.lang.reflect.Field;
import java.util.UUID;

/**
 * Creates ORC writers for part files. The writer options, Hadoop configuration and memory manager are built once
 * per subtask and shared by all its part files.
 */
public final class OrcWriterFactory<T> implements FormatWriterFactory<T> {

    private static final long serialVersionUID = 1L;

    private final OrcFormat<T> format;
    private transient OrcFile.WriterOptions baseOptions;

    OrcWriterFactory(OrcFormat<T> format) {
        this.format = format;
    }

    @Override
    public FormatBulkWriter<T> create(FSDataOutputStream out, PartFileContext where) throws IOException {
        if (baseOptions == null) {
            // No XML defaults: ORC's own defaults apply, overridden by the format's properties.
            Configuration conf = new Configuration(false);
            baseOptions = OrcFile.writerOptions(format.writerProperties(), conf)
                    .setSchema(format.vectorizer.getSchema())
                    .memory(new MemoryManagerImpl(conf));
        }
        OrcFile.WriterOptions options = baseOptions.clone();
        options.physicalWriter(new PhysicalWriterImpl(out, options));
        // The path only keys the writer in the memory manager; the physical writer writes to the part file.
        Writer writer = new WriterImpl(null, new Path(UUID.randomUUID().toString()), options);
        return new PartWriter(writer, where);
    }

    /** One ORC file: records go into a row batch, full batches into the ORC writer's stripe. */
    private final class PartWriter implements FormatBulkWriter<T> {

        private final Writer writer;
        private final PartFileContext where;
        private final VectorizedRowBatch batch;

        PartWriter(Writer writer, PartFileContext where) {
            this.writer = writer;
            this.where = where;
            this.batch = format.vectorizer.getSchema().createRowBatch();
        }

        @Override
        public void addElement(T element) throws IOException {
            int rowsBefore = batch.size;
            try {
                if (element == null) {
                    throw new BadRecordException("", "the record is null");
                }
                if (format.rowDataValidator != null) {
                    format.rowDataValidator.validate((RowData) element);
                }
                format.vectorizer.setWriter(writer);
                format.vectorizer.vectorize(element, batch);
            } catch (BadRecordException e) {
                batch.size = rowsBefore; // drop whatever part of the row was set
                format.badRecords().handle(e, element, where);
                return;
            } catch (IOException | RuntimeException e) {
                batch.size = rowsBefore;
                throw e;
            }
            if (batch.size == batch.getMaxSize()) {
                writer.addRowBatch(batch);
                batch.reset();
            }
        }

        @Override
        public void flush() throws IOException {
            if (batch.size != 0) {
                writer.addRowBatch(batch);
                batch.reset();
            }
        }

        @Override
        public void finish() throws IOException {
            flush();
            writer.close();
        }

        @Override
        public long bufferedBytes() {
            return StripeMemory.estimate(writer) + (long) batch.size * batch.numCols * 8;
        }
    }

    /** ORC 1.5 keeps the stripe's size to itself; read it from the tree writer where we can. */
    private static final class StripeMemory {
        private static final Field TREE_WRITER = treeWriterField();

        static long estimate(Writer writer) {
            if (TREE_WRITER == null || !(writer instanceof WriterImpl)) {
                return 0;
            }
            try {
                return ((org.apache.orc.impl.writer.TreeWriter) TREE_WRITER.get(writer)).estimateMemory();
            } catch (ReflectiveOperationException | RuntimeException e) {
                return 0;
            }
        }

        private static Field treeWriterField() {
            try {
                Field field = WriterImpl.class.getDeclaredField("treeWriter");
                field.setAccessible(true);
                return field;
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
    }
}
