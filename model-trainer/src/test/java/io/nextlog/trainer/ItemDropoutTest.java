package io.nextlog.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nextlog.tokenize.Vocabulary;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ItemDropoutTest {

    @Test
    void shouldReplaceRealItemsByTheUnknownIdAndLeavePaddingAlone() {
        // 1,000 rows of 10 columns, left-padded: 4 padding columns, then items 2..7.
        long[] ids = new long[10_000];
        for (int i = 0; i < ids.length; i++) {
            int column = i % 10;
            ids[i] = column < 4 ? Vocabulary.PADDING_ID : column - 2;
        }

        long[] dropped = GptTrainer.dropItems(ids, 0.25f, new Random(5));

        int replaced = 0;
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == Vocabulary.PADDING_ID) {
                assertEquals(Vocabulary.PADDING_ID, dropped[i], "padding at " + i);
            } else if (dropped[i] != ids[i]) {
                assertEquals(Vocabulary.OOV_ID, dropped[i], "replacement at " + i);
                replaced++;
            }
        }
        // 6,000 real items; a quarter of them, give or take 5 standard deviations (about 170).
        assertTrue(Math.abs(replaced - 1_500) < 170, "replaced " + replaced + " of 6000");
        assertEquals(2, ids[4], "the input array is left as it was");
    }
}
