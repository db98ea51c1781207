using Hearth.Conversations;

namespace Hearth.Tests.Unit;

public class RankingTests
{
    [Fact]
    public void UnvotedCommentsRankZero() => Assert.Equal(0, WilsonScore.LowerBound(0, 0));

    [Fact]
    public void ManyMostlyPositiveVotesOutrankAFewPerfectOnes() =>
        Assert.True(WilsonScore.LowerBound(40, 2) > WilsonScore.LowerBound(3, 0));

    [Fact]
    public void MoreDownVotesRankLower() =>
        Assert.True(WilsonScore.LowerBound(10, 10) < WilsonScore.LowerBound(10, 1));

    [Theory]
    [InlineData(1, 0, 0.2065)]
    [InlineData(10, 0, 0.7225)]
    [InlineData(60, 40, 0.5020)]
    public void LowerBoundMatchesTheWilsonFormula(int up, int down, double expected) =>
        Assert.Equal(expected, WilsonScore.LowerBound(up, down), 0.0005);
}
