package dev.realitycheck.localstack;

import java.util.concurrent.CountDownLatch;

/** A main class that never returns by itself: what a service looks like to {@link ParentWatch}. */
public final class BlockForever {

    private BlockForever() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("started " + String.join(" ", args));
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
