package dev.filesink.formats.testing;

import org.apache.flink.orc.vector.Vectorizer;
import org.apache.hadoop.hive.ql.exec.vector.BytesColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.DoubleColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.LongColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.VectorizedRowBatch;

import java.nio.charset.StandardCharsets;

/** A user's ORC vectorizer for {@link Order}. */
public final class OrderVectorizer extends Vectorizer<Order> {

    private static final long serialVersionUID = 1L;

    public static final String SCHEMA = "struct<id:bigint,name:string,amount:double,note:string>";

    public OrderVectorizer() {
        super(SCHEMA);
    }

    @Override
    public void vectorize(Order order, VectorizedRowBatch batch) {
        int row = batch.size++;
        ((LongColumnVector) batch.cols[0]).vector[row] = order.id;
        byte[] name = order.name.getBytes(StandardCharsets.UTF_8);
        ((BytesColumnVector) batch.cols[1]).setVal(row, name, 0, name.length);
        ((DoubleColumnVector) batch.cols[2]).vector[row] = order.amount;
        BytesColumnVector note = (BytesColumnVector) batch.cols[3];
        if (order.note == null) {
            note.noNulls = false;
            note.isNull[row] = true;
        } else {
            byte[] bytes = order.note.getBytes(StandardCharsets.UTF_8);
            note.isNull[row] = false;
            note.setVal(row, bytes, 0, bytes.length);
        }
    }
}
