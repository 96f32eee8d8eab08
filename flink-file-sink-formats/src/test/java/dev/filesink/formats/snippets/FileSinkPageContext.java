package dev.filesink.formats.snippets;

import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.core.fs.Path;
import org.apache.flink.orc.vector.Vectorizer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import org.apache.hadoop.hive.ql.exec.vector.BytesColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.LongColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.VectorizedRowBatch;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * What the snippets of Flink's File Sink page take from their surroundings and the page leaves out: the variables
 * they use ({@code outputPath}, {@code outputBasePath}, {@code input}) and the user types they name. Each snippet is
 * compiled as the body of a method of a subclass of this one.
 */
@SuppressWarnings({"rawtypes", "unused"})
public abstract class FileSinkPageContext {

    protected String outputPath = "/tmp/file-sink-page";
    protected Path outputBasePath = new Path(outputPath);
    /** Snippets that declare {@code stream} go on with {@code input}. */
    protected DataStream input;

    /** The page's {@code Person}. */
    public static class Person {
        private final String name;
        private final int age;

        public Person(String name, int age) {
            this.name = name;
            this.age = age;
        }

        public String getName() {
            return name;
        }

        public int getAge() {
            return age;
        }
    }

    /** The page's {@code PersonVectorizer}, as its ORC section prints it. */
    public static class PersonVectorizer extends Vectorizer<Person> implements Serializable {
        public PersonVectorizer(String schema) {
            super(schema);
        }

        @Override
        public void vectorize(Person element, VectorizedRowBatch batch) {
            BytesColumnVector nameColVector = (BytesColumnVector) batch.cols[0];
            LongColumnVector ageColVector = (LongColumnVector) batch.cols[1];
            int row = batch.size++;
            nameColVector.setVal(row, element.getName().getBytes(StandardCharsets.UTF_8));
            ageColVector.vector[row] = element.getAge();
        }
    }

    /** The page's {@code Address} (an Avro reflect record). */
    public static class Address {
        public String street;
    }

    /** "ProtoRecord is a generated protobuf Message class." */
    public abstract static class ProtoRecord extends com.google.protobuf.GeneratedMessage {}

    /** The page's {@code KeyBucketAssigner}. */
    public static class KeyBucketAssigner implements BucketAssigner<Tuple2<Integer, Integer>, String> {
        @Override
        public String getBucketId(Tuple2<Integer, Integer> element, Context context) {
            return String.valueOf(element.f0);
        }

        @Override
        public SimpleVersionedSerializer<String> getSerializer() {
            return SimpleVersionedStringSerializer.INSTANCE;
        }
    }
}
