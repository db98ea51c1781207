using Hearth.Identity;

namespace Hearth.Tests.Unit;

public class NameSkeletonTests
{
    [Theory]
    [InlineData("Mia Moderator", "mia moderator")]
    [InlineData("Mia Moderator", "Mіa Mоderator")] // Cyrillic і and о
    [InlineData("Mia Moderator", "MIA  M0DERATOR")]
    [InlineData("Mia Moderator", "Mia-Moderator")]
    [InlineData("Admin", "Ａｄｍｉｎ")] // full-width
    [InlineData("Admin", "Adrnin")]
    [InlineData("Olga", "0lga")]
    [InlineData("Zoë", "Zoe")]
    public void NamesThatLookAlikeHaveTheSameSkeleton(string name, string lookAlike) =>
        Assert.Equal(NameSkeleton.Of(name), NameSkeleton.Of(lookAlike));

    [Theory]
    [InlineData("Mia Moderator", "Mia Gardener")]
    [InlineData("Ann", "Anna")]
    public void DifferentNamesStayDifferent(string name, string other) =>
        Assert.NotEqual(NameSkeleton.Of(name), NameSkeleton.Of(other));
}
