package dev.filesink.partitioning;

/** A POJO in the style Flink jobs use: getters, a boolean {@code is} getter, a public and a private field. */
public class Order {

    public String channel;
    private String country;
    private long createdAt;
    private boolean priority;
    @SuppressWarnings("unused")
    private String internalCode;

    public Order() {}

    public Order(String country, long createdAt) {
        this.country = country;
        this.createdAt = createdAt;
    }

    public String getCountry() {
        return country;
    }

    public long getCreatedAt() {
        return createdAt;
    }

    public boolean isPriority() {
        return priority;
    }

    public Order withPriority(boolean priority) {
        this.priority = priority;
        return this;
    }

    public Order withInternalCode(String code) {
        this.internalCode = code;
        return this;
    }

    /** A subclass the job may see instead of the declared class. */
    public static class ExpressOrder extends Order {
        public ExpressOrder(String country, long createdAt) {
            super(country, createdAt);
        }
    }
}
