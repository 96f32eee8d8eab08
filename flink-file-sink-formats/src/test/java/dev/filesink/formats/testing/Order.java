package dev.filesink.formats.testing;

import org.apache.avro.reflect.Nullable;

import java.util.Objects;

/** The test record: a POJO (Jackson, CSV, Avro reflect) whose fields all derive from its id. */
public class Order {

    public long id;
    public String name;
    public double amount;
    @Nullable public String note;

    public Order() {}

    public Order(long id, String name, double amount, String note) {
        this.id = id;
        this.name = name;
        this.amount = amount;
        this.note = note;
    }

    /** Names hold a comma and quotes (CSV quoting); every seventh order has no note (nulls). */
    public static Order of(long id) {
        return new Order(id, "order, \"" + id + "\"", id * 1.5, id % 7 == 0 ? null : "note\n" + (id % 13));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Order other && id == other.id && amount == other.amount && Objects.equals(name, other.name)
                && Objects.equals(note, other.note);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id);
    }

    @Override
    public String toString() {
        return "Order{" + id + ", " + name + ", " + amount + ", " + note + "}";
    }
}
