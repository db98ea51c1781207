using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hearth.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CommentsByAuthorIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // "Has this person a published comment here?" (first-comment mode) and an author's record in the
            // moderation queue ask by author on every post. The author is a complex property, which the model
            // cannot index yet, so the index is made here.
            migrationBuilder.Sql("CREATE INDEX IX_Comments_SiteId_Author_Key_Status ON Comments (SiteId, Author_Key, Status);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IX_Comments_SiteId_Author_Key_Status;");
        }
    }
}
