using Hearth.Identity;

namespace Hearth.Tests.Unit;

public class NameSkeletonTests
{
    [Theory]
    [InlineData("Mia Moderator", "mia moderator")]
    [InlineData("Mia Moderator", "Mіa Mоderator")] // Cyrillic і and о
    [InlineData("Mia Moderator", "MIA  M0DERATOR")]
    [InlineData("Mia Moderator", "Mia-Moderator")]
    [InlineData("Mia Moderator", "Mia_Moderator.")]
    [InlineData("Admin", "Ａｄｍｉｎ")] // full-width
    [InlineData("Admin", "Adrnin")]
    [InlineData("Olga", "0lga")]
    [InlineData("Zoë", "Zoe")]
    [InlineData("Ian", "lan")]
    [InlineData("Ian", "ian")]
    [InlineData("Tove", "Tօve")] // Armenian oh
    [InlineData("Hana", "հana")] // Armenian ho
    [InlineData("Anna", "Ꭺnna")] // Cherokee go
    [InlineData("Anna", "ꭺnna")] // Cherokee small go
    [InlineData("Lisa", "ꓡisa")] // Lisu la
    [InlineData("Ida", "ꓲda")] // Lisu i, which passes for l and so for I
    [InlineData("Dana", "Dɑna")] // Latin alpha
    [InlineData("Anna", "ᴀɴɴᴀ")] // small capitals
    [InlineData("Tove", "Tᴏᴠᴇ")]
    [InlineData("Jeff", "Jeſſ")] // long s looks like f
    [InlineData("Sergei", "Ѕеrgеі")] // Cyrillic dze, ie, i
    [InlineData("Team Tove", "Team\u3164Tove")] // Hangul filler
    [InlineData("Team Tove", "Team\u2800Tove\u115F\u1160\uFFA0")] // braille blank and the other fillers
    [InlineData("Team Tove", "T\u200De\u034Fa\uFE0Fm \U000E0041Tove")] // joiner, grapheme joiner, variation selector, tag
    public void NamesThatLookAlikePassForEachOther(string name, string lookAlike)
    {
        Assert.True(NameSkeleton.PassesFor(lookAlike, name), $"{lookAlike} should pass for {name}");
        Assert.True(NameSkeleton.PassesFor(name, lookAlike));
    }

    [Theory]
    [InlineData("Mia Moderator", "Mia Gardener")]
    [InlineData("Ann", "Anna")]
    [InlineData("Ida", "Ada")]
    [InlineData("Tove", "Tova")]
    public void DifferentNamesStayDifferent(string name, string other) =>
        Assert.False(NameSkeleton.PassesFor(name, other), $"{other} should not pass for {name}");

    [Theory]
    [InlineData("\u0430", "a")] // Cyrillic a
    [InlineData("\uA4F2", "l")] // Lisu i
    [InlineData("\u13AA", "A")] // Cherokee go
    [InlineData("m", "rn")]
    [InlineData("0", "O")]
    [InlineData("\u3164", "\u1160")] // the Hangul filler's prototype is the other filler
    public void TheSkeletonIsUnicodesPrototype(string text, string prototype) =>
        Assert.Equal(prototype, NameSkeleton.Skeleton(text));

    [Theory]
    [InlineData("\u3164")]
    [InlineData("\u3164\uFFA0\u115F\u1160")]
    [InlineData("\u2800\u2800")]
    [InlineData("\u200B\u2060\uFEFF")]
    [InlineData("\u3000\u00A0")]
    public void NamesOfInvisibleCharactersAreEmpty(string name) =>
        Assert.Equal("", Hearth.Conversations.TextRules.CleanName(name));
}
