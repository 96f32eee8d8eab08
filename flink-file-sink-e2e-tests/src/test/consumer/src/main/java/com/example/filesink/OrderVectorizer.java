package com.example.filesink;

import org.apache.flink.orc.vector.Vectorizer;
import org.apache.hadoop.hive.ql.exec.vector.BytesColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.DoubleColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.LongColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.VectorizedRowBatch;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/** ORC columns of an order, as Flink's ORC documentation has users write them. */
public class OrderVectorizer extends Vectorizer<Order> implements Serializable {

    public OrderVectorizer() {
        super("struct<id:bigint,customer:string,amount:double>");
    }

    @Override
    public void vectorize(Order order, VectorizedRowBatch batch) {
        int row = batch.size++;
        ((LongColumnVector) batch.cols[0]).vector[row] = order.id;
        ((BytesColumnVector) batch.cols[1]).setVal(row, order.customer.getBytes(StandardCharsets.UTF_8));
        ((DoubleColumnVector) batch.cols[2]).vector[row] = order.amount;
    }
}
