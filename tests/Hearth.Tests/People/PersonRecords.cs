using Hearth.People;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.People;

/// <summary>The person records a test reads.</summary>
public static class PersonRecords
{
    public static Task<Person> PersonAsync(this HearthApp app, string site, string name) => app.InDatabaseAsync(db =>
        db.People.AsNoTracking().SingleAsync(p => p.Name == name && db.Sites.Any(s => s.Id == p.SiteId && s.Name == site)));
}
