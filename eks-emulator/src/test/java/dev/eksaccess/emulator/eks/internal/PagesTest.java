package dev.eksaccess.emulator.eks.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PagesTest {

    private static final Function<String, String> KEY = s -> s;

    @Test
    void lastPage_hasNoNextToken() {
        Pages.Page<String> page = Pages.of(List.of("a", "b"), KEY, 2, null);

        assertThat(page.items()).containsExactly("a", "b");
        assertThat(page.nextToken()).isEmpty();
    }

    @Test
    void nextToken_continuesAfterTheLastKeyEvenWhenItemsWereRemovedMeanwhile() {
        Pages.Page<String> first = Pages.of(List.of("a", "b", "c", "d"), KEY, 2, null);
        List<String> afterRemovingB = List.of("a", "c", "d");

        Pages.Page<String> second = Pages.of(afterRemovingB, KEY, 2, first.nextToken().orElseThrow());

        assertThat(first.items()).containsExactly("a", "b");
        assertThat(second.items()).containsExactly("c", "d");
        assertThat(second.nextToken()).isEmpty();
    }

    @Test
    void defaultPageSize_is100() {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            items.add(String.format("k%03d", i));
        }

        assertThat(Pages.of(items, KEY, null, null).items()).hasSize(100);
    }

    @Test
    void malformedToken_isABadParameter() {
        assertThatThrownBy(() -> Pages.of(List.of("a"), KEY, 1, "%%%"))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo("InvalidParameterException"));
    }
}
