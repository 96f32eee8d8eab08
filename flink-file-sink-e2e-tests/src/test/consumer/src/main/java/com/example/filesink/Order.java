package com.example.filesink;

/** A user's record type: a plain POJO, written by every format. */
public class Order {

    public long id;
    public String customer;
    public double amount;

    public Order() {}

    public Order(long id, String customer, double amount) {
        this.id = id;
        this.customer = customer;
        this.amount = amount;
    }

    public static Order of(long id) {
        return new Order(id, "customer-" + (id % 97), id * 1.5);
    }

    @Override
    public String toString() {
        return id + " " + customer + " " + amount;
    }
}
