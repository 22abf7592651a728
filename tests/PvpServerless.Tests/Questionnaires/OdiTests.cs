using PvpServerless.Cohort;
using PvpServerless.Domain;
using PvpServerless.Questionnaires;

namespace PvpServerless.Tests.Questionnaires;

public class OdiTests
{
    [Fact]
    public void All_ten_answered()
    {
        // sum 1+2+3+4+5+0+1+2+3+4 = 25; 100 · 25 / (5 · 10) = 50
        Assert.Equal(50.0, Odi.Score([1, 2, 3, 4, 5, 0, 1, 2, 3, 4])!.Value, 1e-12);
        Assert.Equal(0.0, Odi.Score([0, 0, 0, 0, 0, 0, 0, 0, 0, 0])!.Value, 1e-12);
        Assert.Equal(100.0, Odi.Score([5, 5, 5, 5, 5, 5, 5, 5, 5, 5])!.Value, 1e-12);
    }

    [Fact]
    public void One_skipped_divides_by_the_nine_answered()
    {
        // sex life skipped: sum 3·9 = 27; 100 · 27 / 45 = 60
        Assert.Equal(60.0, Odi.Score([3, 3, 3, 3, 3, 3, 3, null, 3, 3])!.Value, 1e-12);
        // sum 1; 100 / 45 = 2.222…
        Assert.Equal(100.0 / 45.0, Odi.Score([1, 0, 0, 0, 0, 0, 0, null, 0, 0])!.Value, 1e-12);
    }

    [Fact]
    public void Valid_with_two_skipped()
    {
        // sum 1+2+3+4+5+0+1+4 = 20 over 8 answered; 100 · 20 / 40 = 50
        Assert.Equal(50.0, Odi.Score([1, 2, 3, 4, 5, 0, 1, null, null, 4])!.Value, 1e-12);
    }

    [Fact]
    public void Invalid_with_three_skipped() => Assert.Null(Odi.Score([1, 2, null, 4, 5, 0, 1, null, null, 4]));

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    [InlineData(11)]
    public void Not_ten_sections_is_no_score(int count)
    {
        var sections = Enumerable.Repeat<int?>(2, count).ToList();
        Assert.Null(Odi.Score(sections));
        Assert.Null(Odi.Pain(sections));
    }

    [Fact]
    public void No_list_is_no_score()
    {
        Assert.Null(Odi.Score(null));
        Assert.Null(Odi.Pain(null));
    }

    [Fact]
    public void A_section_outside_0_to_5_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Odi.Score([1, 2, 6, 4, 5, 0, 1, 2, 3, 4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Odi.Score([1, 2, -1, 4, 5, 0, 1, 2, 3, 4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Odi.Pain([7, 2, 1, 4, 5, 0, 1, 2, 3, 4]));
    }

    [Fact]
    public void The_pain_item_is_section_1()
    {
        Assert.Equal(4, Odi.Pain([4, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
        Assert.Null(Odi.Pain([null, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
        // The pain item stands alone: it is there even when the ODI as a whole has no score.
        Assert.Equal(2, Odi.Pain([2, null, null, null, 0, 0, 0, 0, 0, 0]));
    }

    [Fact]
    public void Scores_of_a_response()
    {
        var response = new WaveResponse(
            Wave.Baseline,
            DateTimeOffset.UnixEpoch,
            new Eq5dAnswers(1, 2, 3, 2, 1, 35),
            [4, 3, 3, 3, 3, 3, 3, null, 3, 3]
        );
        var scores = ResponseScores.Of(response, ValueSet.Get("3L", "DK"));
        Assert.Equal(0.617, scores.Eq5dIndex!.Value, 1e-12);
        Assert.Equal(35, scores.EqVas);
        // sum 4 + 3·8 = 28 over 9; 100 · 28 / 45 = 62.22…
        Assert.Equal(2800.0 / 45.0, scores.Odi!.Value, 1e-12);
        Assert.Equal(4, scores.Pain);
        var none = ResponseScores.Of(null, null, ValueSet.Get("3L", "DK"));
        Assert.Equal(new ResponseScores(null, null, null, null), none);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            ResponseScores.Of(new Eq5dAnswers(1, 1, 1, 1, 1, 101), null, ValueSet.Get("3L", "DK"))
        );
    }
}
