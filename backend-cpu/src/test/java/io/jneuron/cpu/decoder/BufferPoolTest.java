package io.jneuron.cpu.decoder;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class BufferPoolTest {
    @Test
    void aBorrowerTakesTheLendersArraysZeroedAndGivesBackOnlyThose() {
        BufferPool lender = new BufferPool();
        float[] kept = new float[16];
        int[] keptInts = new int[8];
        kept[3] = 7f;
        keptInts[1] = 9;
        lender.give(kept);
        lender.give(keptInts);

        BufferPool borrower = lender.borrower();
        float[] a = borrower.take(16);
        int[] b = borrower.takeInts(8);
        float[] own = borrower.take(32); // no array of that length in the lender: a new one
        assertSame(kept, a);
        assertSame(keptInts, b);
        assertEquals(0f, a[3], "a reused array comes back zeroed");
        assertEquals(0, b[1]);
        assertEquals(0, lender.size(), "the lender's arrays are out while borrowed");

        a[0] = 1f;
        borrower.give(a, own);
        borrower.give(b);
        // The borrower's next session reuses its own free arrays before asking the lender.
        assertSame(a, borrower.take(16));
        borrower.give(a);
        borrower.giveBack();
        assertEquals(2, lender.size(), "the two borrowed arrays are back, the borrower's own one is not");
        assertEquals(1, borrower.size());
        assertSame(kept, lender.take(16));
        assertSame(keptInts, lender.takeInts(8));
        assertNotSame(own, lender.take(32));
    }
}
